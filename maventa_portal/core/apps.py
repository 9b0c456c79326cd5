from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maventa_portal.core"
    label = "core"
    verbose_name = "Portal"

    def ready(self) -> None:
        from .audit import tracking

        tracking.register_core_models()
