"""AX network profiles: ``/v1/company/profiles`` (API.md "Network profiles"; FIELDS.md section 3).

- ``POST /v1/company/profiles`` -> 201 Profile (always ``pending``); 400 ``invalid_parameters``;
  422 ``profile_not_supported`` / ``profile_name_conflict`` / ``profile_eia_conflict`` /
  ``profile_eia_bid_conflict`` (rules in ``profile_rules``).
- ``GET /v1/company/profiles`` -> 200 Profile[]; filters ``network[]``, ``status[]`` (the plain
  names repeated are read too); an unknown filter value answers 400. ``SCAN_DOCUMENTS`` and
  ``VISMASCANNER`` are accepted alike, in filters and bodies; answers say ``VISMASCANNER``.
- ``GET /v1/company/profiles/{id}`` -> 200 Profile + ``profiles_with_extensions``.
- ``PATCH /v1/company/profiles/{id}`` ``{network_settings}`` -> 204.
- ``DELETE /v1/company/profiles/{id}`` -> 204; 409 ``profile_deletion_not_allowed``.
- ``PUT /v1/company/profiles/{id}/extensions`` ``{profile_name, extensions}`` -> 200 the
  registration as GET answers it (API.md gives no status; 200 with the result lets a caller see
  what was stored); 422 ``profile_not_supported``.

Another company's registration answers 404, as an unknown one does (FIELDS.md section 0).
Every view first brings the token's company up to date (``lifecycle.advance``).
"""

import threading
import uuid
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import lifecycle, profile_rules, registrations
from ..auth import bearer
from ..models import Company, Registration
from ..responses import BadRequest, bad_request, error, json_body, json_response, no_content

# Check-then-create must not interleave, or two identical requests would both pass the conflict
# check. The sandbox is served by one process, so process locks are enough; one per company,
# since conflicts are a company's own (a clash of endpoint ids across companies stays possible
# in a race, as it would be rare at Maventa too), and a bulk run's companies must not queue.
_locks_guard = threading.Lock()
_company_locks: dict[int, threading.Lock] = {}


def _registering(company) -> threading.Lock:
    with _locks_guard:
        return _company_locks.setdefault(company.pk, threading.Lock())


def _company(request: HttpRequest) -> Company:
    return lifecycle.advance(request.sandbox_company)


def _find(company: Company, profile_id: str) -> Registration | None:
    try:
        pk = uuid.UUID(profile_id)
    except ValueError:
        return None
    return company.registrations.filter(pk=pk).first()


def _not_found(profile_id: str) -> HttpResponse:
    return error(404, "not_found", f"Profile {profile_id} not found")


def _refused(exc: profile_rules.Refused) -> HttpResponse:
    return error(422, exc.code, exc.message)


@bearer
def create_profile(request: HttpRequest) -> HttpResponse:
    try:
        wanted = profile_rules.parse_request(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    # API.md's SCAN_DOCUMENTS is accepted and kept as the schema's VISMASCANNER (FIELDS.md
    # section 12, item 9), so that answers and webhook events name one network one way.
    wanted = replace(wanted, network=profile_rules.same_network(wanted.network))
    company = _company(request)
    with _registering(company):
        try:
            endpoint_id, scheme = profile_rules.check_registration(company, wanted)
        except profile_rules.Refused as exc:
            return _refused(exc)
        now = timezone.now()
        registration = registrations.create_registration(
            company=company,
            network=wanted.network,
            profiles=wanted.profiles,
            profile_version=wanted.profile_version,
            endpoint_id=endpoint_id,
            scheme=scheme,
            network_settings=wanted.network_settings,
            created_at=now,
            activates_at=lifecycle.activation_due(wanted.network, now),
        )
    return json_response(registrations.as_profile(registration), status=201)


def _filter_values(request: HttpRequest, name: str) -> list[str]:
    return request.GET.getlist(f"{name}[]") + request.GET.getlist(name)


@bearer
def list_profiles(request: HttpRequest) -> HttpResponse:
    networks = _filter_values(request, "network")
    statuses = _filter_values(request, "status")
    problems = [
        f"network {n} is not one of {', '.join(profile_rules.NETWORKS)}"
        for n in networks
        if n not in profile_rules.NETWORKS
    ]
    problems += [
        f"status {s} is not one of {', '.join(Registration.Status.values)}"
        for s in statuses
        if s not in Registration.Status.values
    ]
    if problems:
        return error(400, "invalid_parameters", "Invalid parameters", problems)
    found = _company(request).registrations.all()
    if networks:
        found = found.filter(
            network__in={alias for n in networks for alias in profile_rules.networks_like(n)}
        )
    if statuses:
        found = found.filter(status__in=statuses)
    return json_response([registrations.as_profile(r) for r in found])


@bearer
def get_profile(request: HttpRequest, profile_id: str) -> HttpResponse:
    registration = _find(_company(request), profile_id)
    if registration is None:
        return _not_found(profile_id)
    return json_response(registrations.as_profile(registration, with_extensions=True))


@bearer
def patch_profile(request: HttpRequest, profile_id: str) -> HttpResponse:
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    registration = _find(_company(request), profile_id)
    if registration is None:
        return _not_found(profile_id)
    if "network_settings" in data:
        settings = data["network_settings"]
        if settings is not None and not isinstance(settings, dict):
            return error(
                400,
                "invalid_parameters",
                "Invalid parameters",
                ["network_settings must be an object"],
            )
        registrations.set_network_settings(registration, settings)
    return no_content()


@bearer
def delete_profile(request: HttpRequest, profile_id: str) -> HttpResponse:
    registration = _find(_company(request), profile_id)
    if registration is None:
        return _not_found(profile_id)
    try:
        registrations.delete_registration(registration)
    except registrations.DeletionRefused as exc:
        return error(409, "profile_deletion_not_allowed", str(exc))
    return no_content()


@bearer
def put_extensions(request: HttpRequest, profile_id: str) -> HttpResponse:
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    company = _company(request)
    registration = _find(company, profile_id)
    if registration is None:
        return _not_found(profile_id)
    try:
        profile_name, extensions = profile_rules.check_extensions(company, registration, data)
    except BadRequest as exc:
        return bad_request(exc)
    except profile_rules.Refused as exc:
        return _refused(exc)
    registrations.set_extensions(registration, profile_name, extensions)
    return json_response(registrations.as_profile(registration, with_extensions=True))
