from django.urls import path

from retrospectives import views

app_name = "retrospectives"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:enrolment_pk>/", views.timeline, name="timeline"),
    path("<int:enrolment_pk>/<int:number>/", views.retrospective_form, name="form"),
    path("<int:enrolment_pk>/<int:number>/skip/", views.retrospective_skip, name="skip"),
    path("<int:enrolment_pk>/<int:number>/pace/", views.retrospective_pace, name="pace"),
]
