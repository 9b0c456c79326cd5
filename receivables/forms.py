"""Forms of the staff inbox (its filters, the reply box) and of the assignment page."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from companies.models import Company

FLAG_CHOICES = [("", "All threads"), ("yes", "Flagged"), ("no", "Not flagged")]


class InboxFilterForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.filter(message_threads__isnull=False).distinct().order_by("name"),
        required=False,
        empty_label="All companies",
    )
    flagged = forms.ChoiceField(choices=FLAG_CHOICES, required=False)
    assignment = forms.CharField(
        required=False, max_length=64, help_text="An assignment's or its invoice's id."
    )
    q = forms.CharField(required=False, max_length=200, label="Search")


class ReplyForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        strip=True,
        label="Reply to Visma Amili",
    )


class AssignmentEventForm(forms.Form):
    type = forms.ChoiceField(
        choices=[
            ("comment", "Comment to Visma Amili"),
            ("paid", "Paid directly to the company"),
            ("credit_note", "Credit note"),
            ("due_date_change", "Due date change request"),
            ("cancellation", "Cancellation"),
        ]
    )
    amount = forms.DecimalField(
        required=False, min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    message = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in ("paid", "credit_note") and not data.get("amount"):
            self.add_error("amount", "Give the amount paid or credited.")
        if kind == "due_date_change" and not data.get("due_date"):
            self.add_error("due_date", "Give the new due date asked for.")
        if kind == "comment" and not (data.get("message") or "").strip():
            self.add_error("message", "Write the comment.")
        return data
