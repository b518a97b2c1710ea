from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts.export import export_account
        from accounts.userdata import register_section

        register_section("account", export_account)
