"""Staff pages of webhook subscriptions: the list, subscribing companies (a bulk run) or the
partner's vendor key, deleting one, registering one again with the current secret."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_safe

from maventa_portal.core.audit import Actor
from maventa_portal.core.errors import staff_errors
from maventa_portal.core.methods import post_only
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

from .company_actions import SELECTION_SESSION_KEY
from .forms import SubscribeVendorForm, SubscribeWebhooksForm
from .models import WebhookSubscription
from .services import subscriptions
from .services.receiving import exchanging_companies
from .webhooks.health import webhook_health

VIEW = "exchange.view_webhooksubscription"
MANAGE = "exchange.manage_webhooksubscription"
LIST = "exchange:webhook_subscriptions"
NOTHING_TO_SUBSCRIBE = "Every company that can receive has a subscription already."


@require_safe
@permission_required(VIEW)
def webhook_subscriptions(request: HttpRequest) -> HttpResponse:
    live = list(
        WebhookSubscription.objects.filter(deleted_at__isnull=True).select_related(
            "company", "vendor_key"
        )
    )
    for subscription in live:
        subscription.missing = subscriptions.missing_events(subscription)
    hint = subscriptions.current_hint()
    return render_staff_page(
        request,
        "exchange/webhook_subscriptions.html",
        {
            "subscriptions": live,
            "current_hint": hint,
            "on_old_secret": sum(1 for s in live if s.secret_hint != hint),
            "lacking": sum(1 for s in live if s.missing),
            "vendor_form": SubscribeVendorForm(),
            "health": webhook_health()
            if request.user.has_perm("exchange.view_webhookevent")
            else None,
        },
        title="Webhooks",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE)
def webhook_subscribe(request: HttpRequest) -> HttpResponse:
    selected = request.session.get(SELECTION_SESSION_KEY) or []
    form = SubscribeWebhooksForm(request.POST or None, initial={"companies": selected})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        companies = list(data["companies"]) or list(
            subscriptions.unsubscribed(exchanging_companies())
        )
        if not companies:
            form.add_error(None, NOTHING_TO_SUBSCRIBE)
        else:
            with staff_errors(form) as outcome:
                run = subscriptions.start_subscribe_run(
                    companies=companies,
                    events=data["events"],
                    actor=Actor.from_request(request),
                    request_key=data["request_key"],
                )
            if outcome.ok:
                request.session.pop(SELECTION_SESSION_KEY, None)
                messages.success(request, f"Subscribing {len(companies)} companies.")
                return redirect("runs:progress", pk=run.pk)
    return render_staff_page(
        request, "exchange/webhook_subscribe.html", {"form": form}, title="Subscribe to webhooks"
    )


@post_only(LIST, with_kwargs=False)
@permission_required(MANAGE)
def webhook_subscribe_vendor(request: HttpRequest) -> HttpResponse:
    form = SubscribeVendorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the events to subscribe to.")
        return redirect(LIST)
    with staff_errors(request) as outcome:
        made = subscriptions.subscribe_vendor(
            events=form.cleaned_data["events"], actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(
            request, f"Subscribed every company of the vendor key ({made.maventa_id})."
        )
    return redirect(LIST)


@post_only(LIST, with_kwargs=False)
@permission_required(MANAGE)
def webhook_unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(WebhookSubscription, pk=pk, deleted_at__isnull=True)
    with staff_errors(request) as outcome:
        subscriptions.unsubscribe(subscription=subscription, actor=Actor.from_request(request))
    if outcome.ok:
        messages.success(request, f"Deleted at Maventa: {subscription}.")
    return redirect(LIST)


@post_only(LIST, with_kwargs=False)
@permission_required(MANAGE)
def webhook_register_again(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(WebhookSubscription, pk=pk, deleted_at__isnull=True)
    with staff_errors(request) as outcome:
        fresh = subscriptions.register_again(
            subscription=subscription, actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(request, f"Registered again with the current secret ({fresh.maventa_id}).")
    return redirect(LIST)


@post_only(LIST, with_kwargs=False)
@permission_required(MANAGE)
def webhook_add_events(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(WebhookSubscription, pk=pk, deleted_at__isnull=True)
    with staff_errors(request) as outcome:
        fresh = subscriptions.add_missing_events(
            subscription=subscription, actor=Actor.from_request(request)
        )
    if outcome.ok:
        messages.success(request, f"Subscribed to {', '.join(fresh.events)} ({fresh.maventa_id}).")
    return redirect(LIST)
