from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parsoc.web.accounts"
    label = "accounts"
    verbose_name = "People"
