from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from config import health
from roadmaps import views as roadmap_views

# The admin signs in through allauth's login, so it gets the same rate limits
# and two-factor step as the site. (Before urlpatterns: admin.site.urls
# binds the login view when it is built.)
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", roadmap_views.home, name="home"),
    path("roadmaps/", include("roadmaps.urls")),
    path("progress/", include("progress.urls")),
    path("accounts/settings/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# allauth's rate limits render this (templates/429.html).
handler429 = "accounts.views.rate_limited"
