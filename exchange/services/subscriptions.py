"""Webhook subscriptions at Maventa, registered and kept by the portal.

The destination is ``PORTAL_PUBLIC_URL`` + ``/webhooks/maventa/`` with the current secret as
``?secret=`` (``MAVENTA_WEBHOOK_AUTH = "query"``) or as the basic-auth password
(``"basic"``). The portal keeps the destination without its secret, and a short digest of the
secret, so that after a rotation the subscriptions still on the old one are found and registered
again (a delete and a create: Maventa has no update) while the old secret is still accepted
(``MAVENTA_WEBHOOK_PREVIOUS_SECRET_UNTIL``).

A create is a POST that may arrive without an answer: before creating, the company's
subscriptions at Maventa are read, and one already posting to our destination with the current
secret is adopted instead, so a retry after a lost answer or a killed worker makes no second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from companies.access import company_api
from companies.models import Company, VendorKey
from maventa_portal.core.audit import Actor, recording
from maventa_portal.core.bulk.runs import ItemSpec, start_run
from maventa_portal.core.errors import PortalError, Refused
from maventa_portal.maventa_api import NotFound, amili
from maventa_portal.maventa_api.ax import notifications

from ..models import WebhookSubscription
from .partner_feeds import partner_company

DestinationType = WebhookSubscription.DestinationType
# The onboarding outcome of receivables is handled by that app (core.webhook_handlers).
DEFAULT_EVENTS = ("DOCUMENTS.*.*", "NETWORKS.*", "COMPANIES.AUTHORIZATION.*", amili.EVENT_PATTERN)
MISSING_SETTING = "MAVENTA_WEBHOOK_SECRET is not set: Maventa could not be given a destination."
NO_PUBLIC_URL = "PORTAL_PUBLIC_URL is not an http(s) address Maventa can reach."
ALREADY = "{whose} already has a live subscription posting to the portal ({events})."


def secret_hint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def current_hint() -> str:
    return secret_hint(settings.MAVENTA_WEBHOOK_SECRET)


def endpoint() -> str:
    """Where Maventa posts, without the secret (as kept and shown)."""
    base = settings.PORTAL_PUBLIC_URL.rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        raise Refused(NO_PUBLIC_URL)
    return base + reverse("maventa_webhook")


def destination() -> str:
    """The destination Maventa is given: the endpoint with the current secret."""
    secret = settings.MAVENTA_WEBHOOK_SECRET
    if not secret:
        raise Refused(MISSING_SETTING)
    parts = urlsplit(endpoint())
    if settings.MAVENTA_WEBHOOK_AUTH == "basic":
        netloc = f"maventa:{quote(secret, safe='')}@{parts.netloc}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, f"secret={quote(secret)}", ""))


def subscribe_company(
    *, company: Company, events: Iterable[str] = DEFAULT_EVENTS, actor: Actor | None = None
) -> WebhookSubscription:
    """A ``WEBHOOK`` of the company (its own token), or the live one it has already."""
    events = list(events)
    with recording(
        actor, "webhooks.subscribe", target=Company, company=company, asked={"events": events}
    ) as rec:
        live = _live(company=company).first()
        if live is not None and live.secret_hint == current_hint():
            raise Refused(ALREADY.format(whose=company, events=", ".join(live.events)))
        api = company_api(company, scope=notifications.SCOPE)
        subscription = _register(api, DestinationType.WEBHOOK, events, company=company, actor=actor)
        rec.target, rec.note = subscription, f"Maventa id {subscription.maventa_id}"
    return subscription


def subscribe_vendor(
    *,
    vendor_key: VendorKey | None = None,
    events: Iterable[str] = DEFAULT_EVENTS,
    actor: Actor | None = None,
) -> WebhookSubscription:
    """A ``VENDOR_WEBHOOK`` with the partner company's token: every company of its vendor key,
    or of ``vendor_key`` only."""
    events = list(events)
    asked = {"events": events, "vendor_key": str(vendor_key or "the partner's")}
    with recording(
        actor, "webhooks.subscribe_vendor", target=WebhookSubscription, asked=asked
    ) as rec:
        partner = partner_company()
        api = company_api(partner, scope=notifications.SCOPE)
        subscription = _register(
            api,
            DestinationType.VENDOR_WEBHOOK,
            events,
            vendor_key=vendor_key,
            actor=actor,
            plain_vendor_key=vendor_key.get_key() if vendor_key else "",
        )
        rec.target, rec.note = subscription, f"Maventa id {subscription.maventa_id}"
    return subscription


def _register(
    api,
    kind,
    events,
    *,
    company=None,
    vendor_key=None,
    actor=None,
    plain_vendor_key="",
    adopt=True,
):
    wanted = destination()
    adopted = adopt and next(
        (
            n
            for n in notifications.list_notifications(api)
            if n.destination == wanted and n.destination_type == kind
        ),
        None,
    )
    made = adopted or notifications.create_notification(
        api, destination_type=kind, destination=wanted, events=events, vendor_key=plain_vendor_key
    )
    subscription, _ = WebhookSubscription.objects.update_or_create(
        maventa_id=made.id,
        defaults={
            "company": company,
            "vendor_key": vendor_key,
            "destination_type": kind,
            "events": list(made.events) or list(events),
            "destination": endpoint(),
            "secret_hint": current_hint(),
            "created_by": actor.user if actor and getattr(actor.user, "pk", None) else None,
            "deleted_at": None,
        },
    )
    return subscription


def unsubscribe(*, subscription: WebhookSubscription, actor: Actor | None = None) -> None:
    """Deleted at Maventa (already gone there counts as deleted) and marked here."""
    with recording(
        actor,
        "webhooks.unsubscribe",
        target=subscription,
        company=subscription.company_id,
        asked={"maventa_id": subscription.maventa_id},
    ):
        try:
            notifications.delete_notification(
                _api_of(subscription), notification_id=subscription.maventa_id
            )
        except NotFound:
            pass
        subscription.deleted_at = timezone.now()
        subscription.save(update_fields=["deleted_at"])


def register_again(
    *, subscription: WebhookSubscription, actor: Actor | None = None
) -> WebhookSubscription:
    """A subscription on an old secret registered anew with the current one, then the old one
    deleted: Maventa has no update, and the old secret stays valid through its grace period."""
    with recording(
        actor,
        "webhooks.register_again",
        target=subscription,
        company=subscription.company_id,
        asked={"maventa_id": subscription.maventa_id},
    ) as rec:
        api = _api_of(subscription)
        fresh = _register(
            api,
            subscription.destination_type,
            subscription.events,
            company=subscription.company,
            vendor_key=subscription.vendor_key,
            actor=actor,
            plain_vendor_key=subscription.vendor_key.get_key() if subscription.vendor_key else "",
        )
        if fresh.pk != subscription.pk:
            try:
                notifications.delete_notification(api, notification_id=subscription.maventa_id)
            except NotFound:
                pass
            with transaction.atomic():
                subscription.deleted_at = timezone.now()
                subscription.save(update_fields=["deleted_at"])
        rec.note = f"now Maventa id {fresh.maventa_id}"
    return fresh


def missing_events(subscription: WebhookSubscription) -> list[str]:
    """The portal's default events a subscription lacks (made before the portal handled them)."""
    return [event for event in DEFAULT_EVENTS if event not in subscription.events]


def add_missing_events(
    *, subscription: WebhookSubscription, actor: Actor | None = None
) -> WebhookSubscription:
    """The subscription registered anew with the events it lacks, then the old one deleted.

    Maventa has no update; the new one is made before the old one goes, so that no event falls
    between them (one sent to both is stored once: the dedupe key).
    """
    missing = missing_events(subscription)
    with recording(
        actor,
        "webhooks.add_events",
        target=subscription,
        company=subscription.company_id,
        asked={"maventa_id": subscription.maventa_id, "events": missing},
    ) as rec:
        if not missing:
            rec.note = "nothing missing"
            return subscription
        api = _api_of(subscription)
        fresh = _register(
            api,
            subscription.destination_type,
            [*subscription.events, *missing],
            company=subscription.company,
            vendor_key=subscription.vendor_key,
            actor=actor,
            plain_vendor_key=subscription.vendor_key.get_key() if subscription.vendor_key else "",
            adopt=False,
        )
        try:
            notifications.delete_notification(api, notification_id=subscription.maventa_id)
        except NotFound:
            pass
        subscription.deleted_at = timezone.now()
        subscription.save(update_fields=["deleted_at"])
        rec.note = f"now Maventa id {fresh.maventa_id}"
    return fresh


def live_for(company: Company) -> WebhookSubscription | None:
    """The company's live subscription on the current secret, if it has one."""
    return _live(company=company, secret_hint=current_hint()).first()


def start_subscribe_run(
    *, companies, events: Iterable[str] = DEFAULT_EVENTS, actor=None, request_key: str = ""
):
    """A bulk run subscribing each company (one already subscribed is left as it is)."""
    return start_run(
        kind="exchange.subscribe_webhooks",
        options={"events": list(events)},
        items=[ItemSpec(object_id=company.pk, label=str(company)) for company in companies],
        actor=actor,
        request_key=request_key,
    )


def unsubscribed(companies):
    """Of ``companies``, those without a live subscription on the current secret (one query)."""
    live = _live(company=OuterRef("pk"), secret_hint=current_hint())
    return companies.exclude(Exists(live))


def on_old_secret():
    return WebhookSubscription.objects.filter(deleted_at__isnull=True).exclude(
        secret_hint=current_hint()
    )


def _live(**filters):
    return WebhookSubscription.objects.filter(deleted_at__isnull=True, **filters)


def _api_of(subscription: WebhookSubscription):
    if subscription.destination_type == DestinationType.VENDOR_WEBHOOK:
        return company_api(partner_company(), scope=notifications.SCOPE)
    if subscription.company is None:
        raise PortalError("This subscription's company is no longer in the portal.")
    return company_api(subscription.company, scope=notifications.SCOPE)
