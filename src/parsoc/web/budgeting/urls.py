from django.urls import path

from parsoc.web.budgeting import views

app_name = "budgeting"

urlpatterns = [
    path("c/<slug:slug>/budgeting/", views.index, name="index"),
    path("c/<slug:slug>/budgeting/new", views.create, name="create"),
    path("c/<slug:slug>/budgeting/import", views.import_process, name="import"),
    path("c/<slug:slug>/budgeting/<int:pk>/", views.detail, name="detail"),
    path("c/<slug:slug>/budgeting/<int:pk>/advance", views.advance, name="advance"),
    path("c/<slug:slug>/budgeting/<int:pk>/propose", views.propose, name="propose"),
    path("c/<slug:slug>/budgeting/<int:pk>/projects/<str:project>/comment", views.comment, name="comment"),
    path("c/<slug:slug>/budgeting/<int:pk>/projects/<str:project>/review", views.review, name="review"),
    path("c/<slug:slug>/budgeting/<int:pk>/vote", views.vote, name="vote"),
    path("c/<slug:slug>/budgeting/<int:pk>/results", views.results, name="results"),
    path("c/<slug:slug>/budgeting/<int:pk>/export.pb", views.export, name="export"),
]
