from django.urls import path

from progress.dashboard import views

# The dashboard itself is /dashboard/ (config/urls.py); these are its one-tap
# forms. The item travels in the form (one URL for every item: reversed once
# per page, not twice per item); the enrolment is the learner's on its roadmap.
urlpatterns = [
    path("dashboard/state/", views.tap_state, name="dashboard_item_state"),
    path("dashboard/log/", views.tap_log, name="dashboard_item_log"),
    path("dashboard/goal/", views.goal_from_paces, name="goal_from_paces"),
]
