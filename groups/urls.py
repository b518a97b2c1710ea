from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("join/", views.join, name="join"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/settings/", views.group_settings, name="settings"),
    path("<int:pk>/invite/", views.invite_manage, name="invite"),
    path("<int:pk>/sharing/", views.sharing, name="sharing"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/members/<int:member_pk>/", views.member_detail, name="member"),
    path("<int:pk>/members/<int:member_pk>/nudge/", views.nudge, name="nudge"),
    path("<int:pk>/members/<int:member_pk>/role/", views.member_role, name="role"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="remove"),
    path("<int:pk>/retrospectives/<int:share_pk>/", views.shared_retrospective, name="shared_retrospective"),
    path("<int:pk>/share/<int:enrolment_pk>/<int:number>/", views.retrospective_share, name="retrospective_share"),
]
