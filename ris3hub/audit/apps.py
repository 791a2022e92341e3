from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ris3hub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from ris3hub.audit import middleware  # noqa: F401  (connects the actor receiver)
        from ris3hub.audit.registration import register_models

        register_models()
