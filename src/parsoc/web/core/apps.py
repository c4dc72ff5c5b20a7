from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parsoc.web.core"
    label = "core"
    verbose_name = "parsoc"
