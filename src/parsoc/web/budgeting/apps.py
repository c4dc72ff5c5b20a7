from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "parsoc.web.budgeting"
    label = "budgeting"
    verbose_name = "Participatory budgeting"
    default_auto_field = "django.db.models.BigAutoField"
