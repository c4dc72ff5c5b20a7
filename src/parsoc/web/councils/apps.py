from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "parsoc.web.councils"
    label = "councils"
    verbose_name = "Councils"
