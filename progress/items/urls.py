from django.urls import path

from progress.items import views

urlpatterns = [
    path("<int:pk>/items/<int:item_id>/state/", views.item_state, name="item_state"),
    path("<int:pk>/items/<int:item_id>/", views.item_details, name="item_details"),
    # The roadmap page's one state form: its shared buttons name the item.
    path("<int:pk>/items/state/", views.item_state_pick, name="item_state_pick"),
    # The page's "Notes" links name the item only (they are the same for every
    # learner): the enrolment is the learner's on the item's roadmap.
    path("items/<int:item_id>/", views.my_item, name="my_item"),
]
