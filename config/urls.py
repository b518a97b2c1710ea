from django.contrib import admin
from django.urls import include, path

from roadmaps import views as roadmap_views

urlpatterns = [
    path("", roadmap_views.home, name="home"),
    path("roadmaps/", include("roadmaps.urls")),
    path("admin/", admin.site.urls),
]
