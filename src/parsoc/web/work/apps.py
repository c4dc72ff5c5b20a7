from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "parsoc.web.work"
    label = "work"
    verbose_name = "Work: balanced job complexes"

    def ready(self):
        from parsoc.web.work import rules  # noqa: F401 — registers the permissions
