from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maventa_portal.core"
    label = "core"
    verbose_name = "Portal"
