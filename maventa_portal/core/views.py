import logging

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_q.brokers import get_broker

from maventa_portal.core import charts, connection, dashboard
from maventa_portal.core.permissions import permission_required
from maventa_portal.core.shortcuts import render_staff_page

CHECK_CONNECTION = "core.check_connection"

logger = logging.getLogger(__name__)

HEALTH_OK = "ok"
HEALTH_FAILED = "unavailable"


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer.")
        return False
    return True


def _broker_answers() -> bool:
    try:
        broker = get_broker()
        # The ORM broker's ping() answers True without asking anything, so the queue is
        # counted as well: that reads the queue table (ORM) or the list length (Redis).
        if not broker.ping():
            raise ConnectionError("The broker did not answer the ping.")
        broker.queue_size()
    except Exception:
        logger.exception("Health check: the task broker does not answer.")
        return False
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """``GET /healthz``: 200 when the database and the task broker answer, 503 otherwise."""
    parts = {
        "database": HEALTH_OK if _database_answers() else HEALTH_FAILED,
        "broker": HEALTH_OK if _broker_answers() else HEALTH_FAILED,
    }
    healthy = all(state == HEALTH_OK for state in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The staff dashboard: figures and charts of the chosen period (``?days=7|30|90``), where
    to go next, and how Maventa answered its last check.

    The check is read as stored (``core.connection``): loading this page never waits on
    Maventa, whatever state Maventa is in.
    """
    check = connection.last_check()
    days = dashboard.period_days(request.GET.get("days"))
    since, until = dashboard.period(days)
    figures = dashboard.gather(since=since, until=until, user=request.user)
    return render_staff_page(
        request,
        "portal/home.html",
        {
            "days": days,
            "periods": dashboard.PERIODS,
            "figures": [f for f in figures if f.value is not None and not f.series],
            "charts": [(f, charts.render(f)) for f in figures if f.series is not None],
            "check": check,
            "check_is_stale": connection.is_stale(check),
            "check_every_minutes": connection.CHECK_EVERY_MINUTES,
        },
        title="Portal",
    )


@require_POST
@permission_required(CHECK_CONNECTION)
def check_connection(request: HttpRequest) -> HttpResponse:
    """The "Check now" button: asks Maventa, within the interactive deadline, and shows home."""
    connection.check_maventa_connection()
    return redirect("portal:home")


class PortalLoginView(auth_views.LoginView):
    """The admin's login form and rules (staff accounts only) on the portal's own URL."""

    template_name = "portal/login.html"
    authentication_form = AdminAuthenticationForm

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Staff who are logged in already go on; anyone else sees the form (and, if logged
        # in without staff rights, the admin's note that this account is not enough).
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context.update(title="Log in", app_path=self.request.get_full_path())
        context["username"] = self.request.user.get_username()
        return context
