from django.urls import path

from parsoc.web.orgs import views

app_name = "orgs"

urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("organisations/new/", views.add, name="add"),
    path("organisations/import/", views.import_page, name="import"),
    path("organisations/export/", views.export, name="export"),
    path("organisations/<id:pk>/", views.detail, name="detail"),
    path("organisations/<id:pk>/change/", views.change, name="change"),
    path("organisations/<id:pk>/remove/", views.remove, name="remove"),
]
