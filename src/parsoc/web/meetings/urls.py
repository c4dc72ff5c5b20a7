from django.urls import path

from parsoc.web.meetings import stream, views

app_name = "meetings"

urlpatterns = [
    path("c/<slug:slug>/meetings/", views.council_meetings, name="council"),
    path("c/<slug:slug>/meetings/poll", views.create_poll, name="create_poll"),
    path("c/<slug:slug>/meetings/new", views.create_meeting, name="create_meeting"),
    path("c/<slug:slug>/meetings/settings", views.change_settings, name="settings"),
    path("meetings/poll/<id:pk>/", views.poll, name="poll"),
    path("meetings/poll/<id:pk>/answer", views.answer_poll, name="answer_poll"),
    path("meetings/poll/<id:pk>/option", views.add_option, name="add_option"),
    path("meetings/poll/<id:pk>/close", views.close_poll, name="close_poll"),
    path("meetings/poll/<id:pk>/finalise", views.finalise_poll, name="finalise_poll"),
    path("meetings/answer/<str:token>/", views.outside_answer, name="outside_answer"),
    path("meetings/<id:pk>/", views.meeting, name="meeting"),
    path("meetings/<id:pk>/change/<slug:what>", views.meeting_change, name="change"),
    path("meetings/<id:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<id:pk>/live/", views.live, name="live"),
    path("meetings/<id:pk>/live/stream", stream.live_stream, name="live_stream"),
    path("meetings/<id:pk>/live/<slug:action>", views.live_act, name="live_act"),
    path("meetings/calendar/", views.my_calendar, name="my_calendar"),
    path("meetings/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
