from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "parsoc.web.core"
    label = "core"
    verbose_name = "parsoc"

    def ready(self) -> None:
        from django.urls import register_converter

        from parsoc.web.core.numbers import IdConverter

        register_converter(IdConverter, "id")
