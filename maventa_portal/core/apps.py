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
        _answer_without_nagle_delay()
        post_migrate.connect(sync_roles_after_migrate)


def _answer_without_nagle_delay() -> None:
    """Django's development server (``make run``, the built-in sandbox, live-server tests)
    writes a response's headers and body in two sends; on a kept-alive connection Nagle's
    algorithm and the peer's delayed ACK then hold the body back 40 ms, on every call the
    portal's client makes to the sandbox. Production runs under a WSGI server, not this."""
    from django.core.servers import basehttp

    basehttp.WSGIRequestHandler.disable_nagle_algorithm = True
