from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "parsoc.web.meetings"
    label = "meetings"
    verbose_name = "Meetings"
