"""The events Maventa would announce by webhook, stored as rows for a later delivery.

Names and ``event_data`` follow API.md "Webhooks" and the vendor's sample payloads:
``NETWORKS.<NETWORK>.CREATED|ENABLED|DISABLED`` with ``{network, profiles, id}``, and
``COMPANIES.AUTHORIZATION.<STATE>`` with ``{state}``. An event is dated when its change happened,
which for lifecycle changes is the due moment, not the read or tick that noticed it.
"""

from datetime import datetime

from django.utils import timezone

from .models import Company, Event, Registration

CREATED, ENABLED, DISABLED = "CREATED", "ENABLED", "DISABLED"


def record_event(company: Company, name: str, data: dict, at: datetime | None = None) -> Event:
    return Event.objects.create(
        company=company, name=name, data=data, created_at=at or timezone.now()
    )


def network_event(registration: Registration, change: str, at: datetime | None = None) -> Event:
    data = {
        "network": registration.network,
        "profiles": list(registration.profiles),
        "id": str(registration.pk),
    }
    return record_event(registration.company, f"NETWORKS.{registration.network}.{change}", data, at)


def authorization_event(company: Company, state: str, at: datetime | None = None) -> Event:
    return record_event(company, f"COMPANIES.AUTHORIZATION.{state}", {"state": state}, at)
