from django.apps import AppConfig


class LotConfig(AppConfig):
    name = "parsoc.web.lot"
    label = "lot"
    verbose_name = "Selection by lot"

    def ready(self):
        from parsoc.web.lot import rules  # noqa: F401 — registers the permissions
