from django.urls import path

from parsoc.web.budgeting import views

app_name = "budgeting"

urlpatterns = [
    path("c/<slug:slug>/budgeting/", views.index, name="index"),
    path("c/<slug:slug>/budgeting/new", views.create, name="create"),
    path("c/<slug:slug>/budgeting/import", views.import_process, name="import"),
    path("c/<slug:slug>/budgeting/<id:pk>/", views.detail, name="detail"),
    path("c/<slug:slug>/budgeting/<id:pk>/advance", views.advance, name="advance"),
    path("c/<slug:slug>/budgeting/<id:pk>/propose", views.propose, name="propose"),
    path("c/<slug:slug>/budgeting/<id:pk>/projects/<str:project>/review", views.review, name="review"),
    path("c/<slug:slug>/budgeting/<id:pk>/vote", views.vote, name="vote"),
    path("c/<slug:slug>/budgeting/<id:pk>/results", views.results, name="results"),
    path("c/<slug:slug>/budgeting/<id:pk>/export.pb", views.export, name="export"),
]
