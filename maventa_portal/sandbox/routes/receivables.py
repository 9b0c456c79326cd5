"""Routes of the Receivables API (``/sandbox/receivables``); names in ``receivables_fields``."""

from django.urls import path

from ..receivables_fields import (
    ASSIGNMENTS,
    EVENTS,
    MESSAGES,
    SERVICE_LEVELS,
    SERVICE_PATH,
    THREADS,
)
from ..responses import by_method
from ..views import (
    receivables_assignments as assignments,
)
from ..views import (
    receivables_levels as levels,
)
from ..views import (
    receivables_messages as messages,
)
from ..views import (
    receivables_service as service,
)

_ONE = f"{ASSIGNMENTS}/<str:assignment_id>"
_THREAD = f"{THREADS}/<str:thread_id>"

SERVICE = by_method(GET=service.get_service, PUT=service.put_service, DELETE=service.delete_service)

urlpatterns = [
    path(SERVICE_PATH, SERVICE),
    path(ASSIGNMENTS, by_method(GET=assignments.list_assignments)),
    path(f"{ASSIGNMENTS}/overview", by_method(GET=assignments.overview)),
    path(_ONE, by_method(GET=assignments.get_assignment)),
    path(
        f"{_ONE}/events",
        by_method(GET=assignments.assignment_events, POST=assignments.add_event),
    ),
    path(f"{_ONE}/events/<str:event_id>/seen", by_method(POST=assignments.event_seen)),
    path(
        f"{_ONE}/messages",
        by_method(GET=messages.assignment_messages, POST=messages.post_assignment_message),
    ),
    path(EVENTS, by_method(GET=assignments.list_events)),
    path(SERVICE_LEVELS, by_method(GET=levels.list_levels)),
    path(
        f"{SERVICE_LEVELS}/<str:customer_bid>",
        by_method(GET=levels.get_level, PATCH=levels.set_level),
    ),
    path(THREADS, by_method(GET=messages.list_threads)),
    path(_THREAD, by_method(GET=messages.get_thread, PATCH=messages.patch_thread)),
    path(
        f"{_THREAD}/messages",
        by_method(GET=messages.thread_messages, POST=messages.post_thread_message),
    ),
    path(f"{MESSAGES}/<str:message_id>/seen", by_method(PUT=messages.message_seen)),
]
