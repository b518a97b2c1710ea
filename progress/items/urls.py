from django.urls import path

from progress.items import views

urlpatterns = [
    path("<int:pk>/items/<int:item_id>/state/", views.item_state, name="item_state"),
    path("<int:pk>/items/<int:item_id>/", views.item_details, name="item_details"),
    # The roadmap page's widgets name the item only (they are the same for
    # every learner): the enrolment is the learner's on the item's roadmap.
    path("items/<int:item_id>/state/", views.my_item_state, name="my_item_state"),
    path("items/<int:item_id>/", views.my_item, name="my_item"),
]
