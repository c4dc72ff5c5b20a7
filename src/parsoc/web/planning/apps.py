from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "parsoc.web.planning"
    label = "planning"
    verbose_name = "Planning: the participatory annual plan"

    def ready(self):
        from parsoc.web.planning import rules  # noqa: F401 — registers the permissions
