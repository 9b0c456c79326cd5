"""The events announcing the outcome of the newer Amili onboarding, in one place.

Assumed (Maventa says only that "a webhook event announces activation or rejection", FIELDS.md
13): named as the other events, ``<HEAD>.<MIDDLE>.<STATE>``, with ``event_data`` ``{id,
status}``.
"""

HEAD, MIDDLE = "SERVICES", "RECEIVABLES"
ACTIVATED, REJECTED = "ACTIVATED", "REJECTED"
STATES = (ACTIVATED, REJECTED)


def event_name(state: str) -> str:
    return f"{HEAD}.{MIDDLE}.{state}"
