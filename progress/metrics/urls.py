from django.urls import path

from progress.metrics import views

urlpatterns = [
    path("<int:pk>/metrics/", views.metrics, name="metrics"),
    path("<int:pk>/metrics/<int:entry_id>/edit/", views.metric_edit, name="metric_edit"),
    path("<int:pk>/metrics/<int:entry_id>/delete/", views.metric_delete, name="metric_delete"),
]
