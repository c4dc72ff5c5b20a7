from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "parsoc.web.decisions"
    label = "decisions"
    verbose_name = "Decisions"
    default_auto_field = "django.db.models.BigAutoField"
