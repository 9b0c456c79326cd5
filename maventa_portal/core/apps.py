from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maventa_portal.core"
    label = "core"
    verbose_name = "Portal"

    def ready(self) -> None:
        from .audit import tracking
        from .twofactor import signals  # noqa: F401 - connects the security log's receivers

        tracking.register_core_models()
