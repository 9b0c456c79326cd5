"""The newer Amili receivables onboarding: ``/v2/services/amili/receivables`` (FIELDS.md 13,
"Activation (AX API, newer than the 2023 schema)"). An AX path, on the AX host; token scope
``receivables:assignments`` as the v1 activation.

- ``PUT`` starts onboarding with the v1 body (FIELDS.md 9), except that ``authorization_email``
  may be left out: then Maventa sends no email, and whoever signs follows ``activation_url``
  (KYC and signing by Netvisor KYC), which the ERP shows instead.
- ``GET`` the state: the v1 answer (``status``, the ``vfsfi`` block ...) plus ``activation_url``
  and ``own_invoice_image``.
- ``PATCH`` the "own invoice image / own payment details" setting.
- Activation or rejection is announced by a webhook event.

Maventa publishes no schema for v2. Assumed here, to correct against Maventa's Swagger:
- the PUT and GET bodies carry the v1 field names;
- the answer adds ``activation_url`` (string) and ``own_invoice_image`` (boolean);
- ``status`` is one of ``DISABLED``, ``PENDING``, ``ACTIVE`` and ``REJECTED`` (the last one
  for a failed KYC or a refused agreement);
- PATCH sends ``{own_invoice_image: bool}`` and answers 200 with the state;
- the webhook events are ``SERVICES.RECEIVABLES.ACTIVATED`` and
  ``SERVICES.RECEIVABLES.REJECTED`` with ``event_data`` ``{status}`` (``EVENTS`` below).
"""

from __future__ import annotations

from typing import Any

from .client import Api
from .entities import from_json
from .errors import refused_here
from .receivables import REQUIRED_ACTIVATION, Activation, activation_payload
from .scopes import RECEIVABLES_SCOPE

SCOPE = RECEIVABLES_SCOPE
STATUSES = ("DISABLED", "PENDING", "ACTIVE", "REJECTED")
# The webhook events of the onboarding's outcome, named as Maventa's others (assumed).
EVENT_HEAD = "SERVICES"
EVENT_PREFIX = f"{EVENT_HEAD}.RECEIVABLES."
EVENT_PATTERN = f"{EVENT_PREFIX}*"  # as subscribed to
ACTIVATED_EVENT = f"{EVENT_PREFIX}ACTIVATED"
REJECTED_EVENT = f"{EVENT_PREFIX}REJECTED"
EVENTS = (ACTIVATED_EVENT, REJECTED_EVENT)
# Without an authorization email the signer is reached through activation_url instead.
REQUIRED_V2 = tuple(name for name in REQUIRED_ACTIVATION if name != "authorization_email")
BAD_IMAGE_SETTING = "The own invoice image setting is either on or off."
RESOURCE = "the Amili receivables service"


# The table of endpoints (read statically by tests/contract/client_calls.py). Host: ax.
#   PUT GET PATCH  /v2/services/amili/receivables
def amili_v2_path() -> str:
    return "/v2/services/amili/receivables"


def _read(body: Any) -> Activation:
    state = from_json(Activation, body)
    object.__setattr__(state, "raw", body)
    return state


def activate(api: Api, *, authorization_email: str = "", **fields: Any) -> Activation:
    """``PUT /v2/services/amili/receivables`` -> 200 the state (PENDING until signed)."""
    payload = activation_payload(
        authorization_email=authorization_email or "", required=REQUIRED_V2, **fields
    )
    body = api.put(amili_v2_path(), json=payload, resource=RESOURCE).body()
    return _read(body)


def get_activation(api: Api) -> Activation:
    """``GET /v2/services/amili/receivables`` -> 200 the state with ``activation_url``."""
    return _read(api.get(amili_v2_path(), resource=RESOURCE).body())


def set_own_invoice_image(api: Api, *, own_invoice_image: bool) -> Activation:
    """``PATCH /v2/services/amili/receivables`` ``{own_invoice_image}`` -> 200 the state."""
    if not isinstance(own_invoice_image, bool):
        raise refused_here(BAD_IMAGE_SETTING, BAD_IMAGE_SETTING)
    body = api.patch(
        amili_v2_path(), json={"own_invoice_image": own_invoice_image}, resource=RESOURCE
    ).body()
    return _read(body)
