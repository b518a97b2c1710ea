from django.urls import path

from progress.enrolments import replanning, views

urlpatterns = [
    path("enrol/<slug:slug>/", views.enrol, name="enrol"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/pace/", views.change_pace, name="change_pace"),
    path("<int:pk>/start/", replanning.change_start, name="change_start"),
    path("<int:pk>/repair/", replanning.repair, name="plan_repair"),
    path("<int:pk>/changes/seen/", replanning.content_seen, name="content_seen"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/restart/", views.restart, name="restart"),
    path("<int:pk>/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("<int:pk>/steps/reset/", views.step_order_reset, name="step_order_reset"),
    path("<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/milestones/<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
]
