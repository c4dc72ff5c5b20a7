from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "parsoc.web.notifications"
    label = "notifications"
    verbose_name = "Notifications"
