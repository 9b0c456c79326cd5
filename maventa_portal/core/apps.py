from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maventa_portal.core"
    label = "core"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .audit import tracking
        from .roles import sync_roles_after_migrate
        from .twofactor import signals  # noqa: F401 - connects the security log's receivers

        tracking.register_core_models()
        post_migrate.connect(sync_roles_after_migrate)
