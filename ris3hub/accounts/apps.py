from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ris3hub.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
