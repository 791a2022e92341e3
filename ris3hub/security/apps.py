from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ris3hub.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from ris3hub.security import checks  # noqa: F401  (registers the system checks)
