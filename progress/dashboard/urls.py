from django.urls import path

from progress.dashboard import views

# The dashboard itself is /dashboard/ (config/urls.py); these are its one-tap
# forms. They name the item only: the enrolment is the learner's on its roadmap.
urlpatterns = [
    path("dashboard/items/<int:item_id>/state/", views.tap_state, name="dashboard_item_state"),
    path("dashboard/items/<int:item_id>/log/", views.tap_log, name="dashboard_item_log"),
]
