from django.urls import path

from roadmaps import views

app_name = "roadmaps"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.roadmap_detail, name="detail"),
]
