from django.urls import path

from parsoc.web.decisions import views

app_name = "decisions"

urlpatterns = [
    path("c/<slug:slug>/decisions/", views.index, name="index"),
    path("c/<slug:slug>/decisions/new/", views.new, name="new"),
    path("c/<slug:slug>/decisions/delegation/", views.delegation, name="delegation"),
    path("c/<slug:slug>/decisions/log.json", views.log, name="log"),
    path("c/<slug:slug>/decisions/<id:pk>/", views.proposal, name="proposal"),
    path("c/<slug:slug>/decisions/<id:pk>/act/", views.act, name="act"),
    path("c/<slug:slug>/decisions/<id:pk>/ballot/", views.ballot, name="ballot"),
    path("c/<slug:slug>/polls/new/", views.new_poll, name="new_poll"),
    path("c/<slug:slug>/polls/<id:pk>/", views.poll, name="poll"),
    path("notifications/decisions/", views.notifications, name="notifications"),
]
