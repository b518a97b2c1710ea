from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/wanted/", views.wanted, name="wanted"),
    path("enrolments/<int:pk>/", views.roadmap_reviews, name="roadmap_reviews"),
    path("enrolments/<int:pk>/study-week/", views.study_week, name="study_week"),
]
