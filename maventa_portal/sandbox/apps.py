from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "maventa_portal.sandbox"
    label = "sandbox"
    verbose_name = "Maventa sandbox"
    default_auto_field = "django.db.models.BigAutoField"
