from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter

from config import form_rescue, health, ui
from config.converters import TokenConverter
from progress.dashboard import views as dashboard_views
from progress.sharing import views as sharing_views
from roadmaps import views as roadmap_views

# The admin signs in through allauth's login, so it gets the same rate limits
# and two-factor step as the site. (Before urlpatterns: admin.site.urls
# binds the login view when it is built.)
admin.site.login = secure_admin_login(admin.site.login)

register_converter(TokenConverter, "token")

urlpatterns = [
    path("", roadmap_views.home, name="home"),
    path("roadmaps/", include("roadmaps.urls")),
    path("progress/", include("progress.urls")),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("retrospectives/", include("retrospectives.urls")),
    path("groups/", include("groups.urls")),
    path("notifications/", include("notifications.urls")),
    path("reviews/", include("reviews.urls")),
    path("u/<slug:handle>/", sharing_views.public_profile, name="public_profile"),
    path("share/<token:token>/", sharing_views.public_share, name="public_share"),
    path("calendar/<token:token>.ics", sharing_views.calendar_feed, name="calendar_feed"),
    path("accounts/settings/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("theme/", ui.set_theme, name="set_theme"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pending-post/discard/", form_rescue.discard, name="pending_post_discard"),
    path("favicon.ico", ui.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# allauth's rate limits render this (templates/429.html).
handler429 = "accounts.views.rate_limited"
