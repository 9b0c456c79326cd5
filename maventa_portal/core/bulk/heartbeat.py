"""Keeping a lease alive while its item is worked on, so that leases can be short.

A worker renews its item's lease every third of ``BULK_LEASE_SECONDS`` from a thread of
its own (with its own database connection) for as long as the item takes. A worker that
dies stops renewing, and the sweeper has its item back a lease later, not minutes later;
an item that simply takes long is never taken from a live worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

from ..models import BulkItem

log = logging.getLogger(__name__)


def renew(item: BulkItem) -> bool:
    until = timezone.now() + timedelta(seconds=settings.BULK_LEASE_SECONDS)
    renewed = BulkItem.objects.filter(
        pk=item.pk, status=BulkItem.Status.RUNNING, lease_token=item.lease_token
    ).update(lease_until=until)
    return bool(renewed)


@contextmanager
def kept_alive(item: BulkItem) -> Iterator[None]:
    stop = threading.Event()
    every = max(settings.BULK_LEASE_SECONDS / 3, 0.2)

    def beat() -> None:
        try:
            while not stop.wait(every):
                if not renew(item):
                    return  # taken over or ended: nothing left to keep alive
        except Exception:
            log.exception("Could not renew the lease of bulk item %s", item.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"lease-{item.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
