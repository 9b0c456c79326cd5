"""One error protocol: every exception a service raises for staff carries ``staff_message``.

- ``PortalError``: the portal refuses (a company without a key, a rule of Maventa's).
- ``Refused``: Django's ``ValidationError`` with a ``staff_message``; field errors land on
  their form fields.
- ``MaventaError`` (``maventa_api.errors``): Maventa failed or refused.

Views never list these: ``staff_errors`` (or ``report_error``) turns any of them into form
errors or messages. A new kind of staff-facing error subclasses ``PortalError`` or ``Refused``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest

from maventa_portal.maventa_api.errors import MaventaError

log = logging.getLogger(__name__)


class PortalError(Exception):
    staff_message = "The portal could not do this."
    # A refusal (the request was wrong or premature) rather than a failure of the work.
    refusal = True

    def __init__(self, staff_message: str | None = None) -> None:
        if staff_message is not None:
            self.staff_message = staff_message
        super().__init__(self.staff_message)


class Refused(ValidationError):
    """Input staff must correct; raised before anything is sent to Maventa."""

    @property
    def staff_message(self) -> str:
        return staff_message_of(self)


STAFF_ERRORS: tuple[type[Exception], ...] = (ValidationError, PortalError, MaventaError)


def staff_message_of(exc: BaseException) -> str:
    """The text for staff; field errors are prefixed with their field's name."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(
                message if field == NON_FIELD_ERRORS else f"{field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            )
        return " ".join(exc.messages)
    message = getattr(exc, "staff_message", "")
    return message or "An unexpected error stopped this; the details are in the log."


def report_error(target: forms.Form | HttpRequest, exc: Exception) -> None:
    """Shows a staff error on a form (field errors on their fields) or as a message."""
    if isinstance(exc, MaventaError):
        # str() is the redacted technical detail: method, URL, status, Maventa's code.
        log.warning("Maventa call for staff failed: %s", exc)
    if isinstance(target, forms.BaseForm):
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target.add_error(field if field in target.fields else None, errors)
        else:
            target.add_error(None, staff_message_of(exc))
    else:
        messages.error(target, staff_message_of(exc))


@dataclass
class Outcome:
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def staff_errors(target: forms.Form | HttpRequest) -> Iterator[Outcome]:
    """``with staff_errors(form) as outcome: services.x(...)``; then ``if outcome.ok``."""
    outcome = Outcome()
    try:
        yield outcome
    except STAFF_ERRORS as exc:
        outcome.error = exc
        report_error(target, exc)
