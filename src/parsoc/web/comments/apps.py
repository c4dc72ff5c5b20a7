from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "parsoc.web.comments"
    label = "comments"
    verbose_name = "Discussions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parsoc.web.comments import targets

        targets.connect_cleanup()
