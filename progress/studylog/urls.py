from django.urls import path

from progress.studylog import views

urlpatterns = [
    path("log/", views.log_list, name="log_list"),
    path("log/add/", views.log_add, name="log_add"),
    path("log/<int:entry_id>/edit/", views.log_edit, name="log_edit"),
    path("log/<int:entry_id>/delete/", views.log_delete, name="log_delete"),
    path("breaks/", views.planned_break, name="planned_break"),
]
