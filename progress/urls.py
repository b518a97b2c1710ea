from django.urls import path

from progress import views, views_log, views_metrics, views_share

app_name = "progress"

urlpatterns = [
    path("enrol/<slug:slug>/", views.enrol, name="enrol"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/pace/", views.change_pace, name="change_pace"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/restart/", views.restart, name="restart"),
    path("<int:pk>/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("<int:pk>/steps/reset/", views.step_order_reset, name="step_order_reset"),
    path("<int:pk>/items/<int:item_id>/state/", views.item_state, name="item_state"),
    path("<int:pk>/items/<int:item_id>/", views.item_details, name="item_details"),
    path("<int:pk>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/milestones/<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
    # Study log, planned breaks, counters, sharing and export (views_log, views_metrics, views_share).
    path("log/", views_log.log_list, name="log_list"),
    path("log/add/", views_log.log_add, name="log_add"),
    path("log/<int:entry_id>/edit/", views_log.log_edit, name="log_edit"),
    path("log/<int:entry_id>/delete/", views_log.log_delete, name="log_delete"),
    path("breaks/", views_log.planned_break, name="planned_break"),
    path("<int:pk>/metrics/", views_metrics.metrics, name="metrics"),
    path("<int:pk>/metrics/<int:entry_id>/edit/", views_metrics.metric_edit, name="metric_edit"),
    path("<int:pk>/metrics/<int:entry_id>/delete/", views_metrics.metric_delete, name="metric_delete"),
    path("<int:pk>/sharing/", views_share.sharing, name="sharing"),
    path("<int:pk>/sharing/public/", views_share.sharing_public, name="sharing_public"),
    path("<int:pk>/sharing/link/", views_share.sharing_link, name="sharing_link"),
    path("<int:pk>/sharing/calendar/", views_share.sharing_calendar, name="sharing_calendar"),
    path("export.<str:fmt>", views_share.export_all, name="export_all"),
    path("<int:pk>/export.<str:fmt>", views_share.export_one, name="export_one"),
]
