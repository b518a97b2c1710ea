from django.urls import path

from progress.sharing import views

# The learner's controls and exports. The public page, the secret link and the
# calendar feed are at the site's top level (config/urls.py: public_profile,
# public_share, calendar_feed), outside the "progress" namespace.
urlpatterns = [
    path("<int:pk>/sharing/", views.sharing, name="sharing"),
    path("<int:pk>/sharing/public/", views.sharing_public, name="sharing_public"),
    path("<int:pk>/sharing/link/", views.sharing_link, name="sharing_link"),
    path("<int:pk>/sharing/calendar/", views.sharing_calendar, name="sharing_calendar"),
    path("export.<str:fmt>", views.export_all, name="export_all"),
    path("<int:pk>/export.<str:fmt>", views.export_one, name="export_one"),
]
