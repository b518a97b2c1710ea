from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_settings, name="settings"),
    path("data/", views.data_export, name="data_export"),
    path("data/download/", views.data_export_download, name="data_export_download"),
    path("delete/", views.account_delete_view, name="delete"),
]
