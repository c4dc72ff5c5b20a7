from django.urls import path

from parsoc.web.decisions import views

app_name = "decisions"

urlpatterns = [
    path("c/<slug:slug>/decisions/", views.index, name="index"),
    path("c/<slug:slug>/decisions/new/", views.new, name="new"),
    path("c/<slug:slug>/decisions/delegation/", views.delegation, name="delegation"),
    path("c/<slug:slug>/decisions/delegation/revoke/", views.revoke_delegation, name="revoke_delegation"),
    path("c/<slug:slug>/decisions/log.json", views.log, name="log"),
    path("c/<slug:slug>/decisions/<id:pk>/", views.proposal, name="proposal"),
    path("c/<slug:slug>/decisions/<id:pk>/stage/", views.stage, name="stage"),
    path("c/<slug:slug>/decisions/<id:pk>/amend/", views.amend, name="amend"),
    path("c/<slug:slug>/decisions/<id:pk>/temperature/", views.temperature, name="temperature"),
    path("c/<slug:slug>/decisions/<id:pk>/open/", views.open_decision, name="open"),
    path("c/<slug:slug>/decisions/<id:pk>/stance/", views.stance, name="stance"),
    path("c/<slug:slug>/decisions/<id:pk>/next_round/", views.next_round, name="next_round"),
    path("c/<slug:slug>/decisions/<id:pk>/close/", views.close, name="close"),
    path("c/<slug:slug>/decisions/<id:pk>/groups/", views.groups, name="groups"),
    path("c/<slug:slug>/decisions/<id:pk>/ballot/", views.ballot, name="ballot"),
    path("c/<slug:slug>/decisions/<id:pk>/ballot/take/", views.take_ballot, name="take_ballot"),
    path("c/<slug:slug>/decisions/<id:pk>/ballot/cast/", views.cast_ballot, name="cast_ballot"),
    path("c/<slug:slug>/polls/new/", views.new_poll, name="new_poll"),
    path("c/<slug:slug>/polls/<id:pk>/", views.poll, name="poll"),
    path("c/<slug:slug>/polls/<id:pk>/open/", views.open_poll, name="poll_open"),
    path("c/<slug:slug>/polls/<id:pk>/close/", views.close_poll, name="poll_close"),
    path("c/<slug:slug>/polls/<id:pk>/vote/", views.vote_poll, name="poll_vote"),
    path("c/<slug:slug>/polls/<id:pk>/take/", views.take_poll_ballot, name="poll_take"),
    path("c/<slug:slug>/polls/<id:pk>/cast/", views.cast_poll_ballot, name="poll_cast"),
    path("notifications/decisions/", views.notifications, name="notifications"),
]
