from django.urls import path

from progress.items import views

urlpatterns = [
    path("<int:pk>/items/<int:item_id>/state/", views.item_state, name="item_state"),
    path("<int:pk>/items/<int:item_id>/", views.item_details, name="item_details"),
]
