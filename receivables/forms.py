"""Forms of the staff inbox: its filters and the reply box."""

from __future__ import annotations

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
