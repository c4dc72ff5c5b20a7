from django.urls import path

from parsoc.web.work import views

app_name = "work"

urlpatterns = [
    path("c/<slug:slug>/work/", views.page, name="page"),
    path("c/<slug:slug>/work/tasks/", views.add_task, name="add_task"),
    path("c/<slug:slug>/work/hours/", views.set_hours, name="set_hours"),
    path("c/<slug:slug>/work/rate/", views.rate, name="rate"),
    path("c/<slug:slug>/work/round/", views.set_round, name="set_round"),
    path("c/<slug:slug>/work/compose/", views.compose, name="compose"),
    path("c/<slug:slug>/work/effort/", views.effort_page, name="effort"),
    path("c/<slug:slug>/work/federation/", views.federation_page, name="federation"),
    path("c/<slug:slug>/work/effort/scheme/", views.effort_scheme, name="effort_scheme"),
    path("c/<slug:slug>/work/effort/rate/", views.rate_effort, name="rate_effort"),
]
