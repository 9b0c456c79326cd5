from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Company, CompanyCredential, NetworkProfile, VendorKey

        # Changes of these reach each company's history (get_additional_data names it).
        # Timestamps the polls move are left out: they are not changes anyone made.
        auditlog.register(
            Company,
            exclude_fields=["updated_at", "state_checked_at", "profiles", "credential"],
        )
        auditlog.register(NetworkProfile, exclude_fields=["updated_at", "raw", "status_changed_at"])
        auditlog.register(CompanyCredential, mask_fields=["encrypted_api_key"])
        auditlog.register(VendorKey, mask_fields=["encrypted_key"], exclude_fields=["companies"])
