"""The forms every run page shares: retry with (maybe changed) options, a new run from failures."""

from __future__ import annotations

import uuid

from django import forms

from .kinds import BulkKind


class RequestKeyForm(forms.Form):
    """A key made when the form is shown: the same form sent twice starts one run."""

    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4().hex)


def options_form(kind: BulkKind, options: dict, data=None) -> forms.Form | None:
    """The kind's options form filled with the run's options, or None if it has none."""
    if kind.options_form is None:
        return None
    return kind.options_form(data, initial=options, prefix="options")
