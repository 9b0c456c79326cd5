from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "receivables"

    def ready(self) -> None:
        # Exchange receives the webhooks and must not import this app: it finds the handler of
        # the onboarding's outcome in the registry instead.
        from .webhooks import register

        register()
