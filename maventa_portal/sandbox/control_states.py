"""Control API for states that take Maventa time: the lifecycle, companies, registrations, events.

Mounted by ``control.py`` under ``/sandbox/_control/``:

- ``GET lifecycle`` / ``PUT lifecycle`` -> 200 ``{profile_activation_seconds, kyc_seconds,
  bank_activation_seconds}`` (PUT replaces it whole: keys left out go back to 2, 5 and 10).
- ``POST tick`` -> 200 ``{companies_verified, bank_requested, profiles_activated,
  invoices_delivered, invoices_failed, documents_delivered, documents_failed,
  invoices_received}``: every due change made now, as reads would make them (the exchange's
  from ``delivery.tick``; ``invoices_received`` counts the incoming trickle).
- ``GET companies/{id}`` -> 200 the company's state; ``POST companies/{id}`` ``{company_state?,
  agreement_networks?}`` -> 200 the same. An explicit state is final: the automatic KYC no
  longer applies to it. Moving to VERIFIED records the event, signs and requests BANK for a
  Finnish company, as KYC completing does.
- ``GET companies/{id}/profiles`` -> 200 its registrations, with extensions.
- ``POST profiles/{id}`` ``{status: pending|active|error, message?}`` -> 200 the registration.
  The status is final until set again (its activation clock stops); ``error`` sets
  ``last_event {message, created_at}``.
- ``GET events?company_id=&name=`` -> 200 the recorded events, oldest first, each
  ``{id, event, company_id, event_timestamp, event_data}`` as a webhook would carry it.
"""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import delivery, lifecycle, profile_rules, registrations
from .models import Company, Event, Registration
from .responses import (
    BadRequest,
    bad_request,
    by_method,
    error,
    isoformat,
    json_body,
    json_response,
)


def get_lifecycle(request: HttpRequest) -> HttpResponse:
    return json_response(lifecycle.schedule.snapshot())


def put_lifecycle(request: HttpRequest) -> HttpResponse:
    try:
        return json_response(lifecycle.schedule.configure(json_body(request)))
    except BadRequest as exc:
        return bad_request(exc)


def tick(request: HttpRequest) -> HttpResponse:
    return json_response({**lifecycle.tick(), **delivery.tick()})


def _company_state(company: Company) -> dict[str, Any]:
    return {
        "id": str(company.pk),
        "company_state": company.company_state,
        "auth_state": company.auth_state,
        "auth_email": company.auth_email,
        "agreement_networks": list(company.agreement_networks),
        "verify_at": isoformat(company.verify_at) if company.verify_at else None,
    }


def _parse_company_changes(data: dict[str, Any]) -> dict[str, Any]:
    problems = [
        f"unknown field {key}" for key in data if key not in {"company_state", "agreement_networks"}
    ]
    state = data.get("company_state")
    if state is not None and state not in Company.State.values:
        problems.append(f"company_state must be one of {', '.join(Company.State.values)}")
    networks = data.get("agreement_networks")
    if networks is not None and (
        not isinstance(networks, list) or any(n not in profile_rules.BY_AGREEMENT for n in networks)
    ):
        problems.append(
            f"agreement_networks must be a list of {', '.join(profile_rules.BY_AGREEMENT)}"
        )
    if problems:
        raise BadRequest("Invalid parameters", problems)
    return {"company_state": state, "agreement_networks": networks}


def company(request: HttpRequest, company_id: uuid.UUID) -> HttpResponse:
    found = Company.objects.filter(pk=company_id).first()
    if found is None:
        return error(404, "not_found", f"Company {company_id} not found")
    found = lifecycle.advance(found)
    if request.method == "GET":
        return json_response(_company_state(found))
    try:
        changes = _parse_company_changes(json_body(request))
    except BadRequest as exc:
        return bad_request(exc)
    if changes["agreement_networks"] is not None:
        found.agreement_networks = list(dict.fromkeys(changes["agreement_networks"]))
        found.save(update_fields=["agreement_networks", "updated_at"])
    state = changes["company_state"]
    if state is not None:
        if state != found.company_state:
            lifecycle.change_state(found, state, timezone.now())
        else:
            Company.objects.filter(pk=found.pk).update(verify_at=None)
        found.refresh_from_db()
    return json_response(_company_state(found))


def company_profiles(request: HttpRequest, company_id: uuid.UUID) -> HttpResponse:
    found = Company.objects.filter(pk=company_id).first()
    if found is None:
        return error(404, "not_found", f"Company {company_id} not found")
    found = lifecycle.advance(found)
    return json_response(
        [registrations.as_profile(r, with_extensions=True) for r in found.registrations.all()]
    )


def profile(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    registration = Registration.objects.select_related("company").filter(pk=profile_id).first()
    if registration is None:
        return error(404, "not_found", f"Profile {profile_id} not found")
    try:
        data = json_body(request)
    except BadRequest as exc:
        return bad_request(exc)
    status, message = data.get("status"), data.get("message")
    problems = [f"unknown field {key}" for key in data if key not in {"status", "message"}]
    if status not in Registration.Status.values:
        problems.append(f"status must be one of {', '.join(Registration.Status.values)}")
    if message is not None and not isinstance(message, str):
        problems.append("message must be a string")
    if problems:
        return error(400, "invalid_parameters", "Invalid parameters", problems)
    lifecycle.advance(registration.company)
    registration.refresh_from_db()
    registration = registrations.force_status(registration, status, message or "")
    return json_response(registrations.as_profile(registration, with_extensions=True))


def list_events(request: HttpRequest) -> HttpResponse:
    found = Event.objects.all()
    company_id = request.GET.get("company_id")
    if company_id:
        try:
            found = found.filter(company_id=uuid.UUID(company_id))
        except ValueError:
            return error(400, "invalid_parameters", f"company_id {company_id} is not a UUID")
    if request.GET.get("name"):
        found = found.filter(name=request.GET["name"])
    return json_response(
        [
            {
                "id": event.pk,
                "event": event.name,
                "company_id": str(event.company_id),
                "event_timestamp": isoformat(event.created_at),
                "event_data": event.data,
            }
            for event in found
        ]
    )


urlpatterns = [
    path("lifecycle", csrf_exempt(by_method(GET=get_lifecycle, PUT=put_lifecycle))),
    path("tick", csrf_exempt(by_method(POST=tick))),
    path("companies/<uuid:company_id>", csrf_exempt(by_method(GET=company, POST=company))),
    path("companies/<uuid:company_id>/profiles", csrf_exempt(by_method(GET=company_profiles))),
    path("profiles/<uuid:profile_id>", csrf_exempt(by_method(POST=profile))),
    path("events", csrf_exempt(by_method(GET=list_events))),
]
