"""Forms of the staff inbox (its filters, the reply box) and of the assignment page."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from companies.models import Company
from maventa_portal.maventa_api import receivables as rcv

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


V1, V2 = 1, 2
FLOWS = [
    (V1, "Authorization email: whoever signs gets an email from Visma Amili"),
    (V2, "Activation link (newer Amili onboarding): KYC and signing at a link"),
]


class ActivationForm(forms.Form):
    """What Maventa needs to switch receivables on; checked here before any call.

    v1 is the initial choice: its fields are in Maventa's published schema, while v2's are
    assumed (``maventa_api.amili``). A POST without a choice takes v1, as the form always did."""

    api_version = forms.TypedChoiceField(
        label="Onboarding",
        choices=FLOWS,
        coerce=int,
        empty_value=V1,
        required=False,
        initial=V1,
        widget=forms.RadioSelect,
        help_text="With the link, the authorization email may be left empty: no email is "
        "sent, and the page shows the link to pass on to whoever signs.",
    )
    iban = forms.CharField(label="IBAN", max_length=42)
    bic = forms.CharField(label="BIC", max_length=11)
    bank = forms.CharField(max_length=200)
    contact_person = forms.CharField(max_length=200)
    # As long as the columns: a longer address would pass Maventa and then fail to be stored.
    contact_email = forms.EmailField(max_length=254)
    contact_phone_number = forms.CharField(max_length=40)
    customer_service_email = forms.EmailField(max_length=254)
    customer_service_phone_number = forms.CharField(max_length=40, required=False)
    authorization_email = forms.EmailField(
        max_length=254,
        required=False,
        help_text="Who signs the agreement with Visma Amili (they get the authorization email).",
    )
    accountable_party = forms.ChoiceField(
        choices=[
            ("vfsfi", "Visma Financial Solutions: its account and reference on invoices"),
            ("company", "The company: its own account and reference"),
        ]
    )
    billing_streets = forms.CharField(
        label="Billing address",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One line a street.",
    )
    billing_zip_code = forms.CharField(label="Postal code", max_length=20)
    billing_city = forms.CharField(label="City", max_length=100)
    billing_country = forms.CharField(label="Country", max_length=2, initial="FI")

    def clean_iban(self):
        iban = self.cleaned_data["iban"]
        if not rcv.iban_is_valid(iban):
            raise forms.ValidationError("This IBAN is not valid: check its digits.")
        return iban.replace(" ", "").upper()

    def clean_bic(self):
        bic = self.cleaned_data["bic"].strip().upper()
        if not rcv.bic_is_valid(bic):
            raise forms.ValidationError("A BIC has 8 or 11 letters and digits (NDEAFIHH).")
        return bic

    def clean(self):
        data = super().clean()
        if data.get("api_version", V1) == V1 and not data.get("authorization_email"):
            if "authorization_email" not in self.errors:
                self.add_error(
                    "authorization_email",
                    "Give the email of whoever signs, or choose the activation link.",
                )
        return data

    def version(self) -> int:
        return self.cleaned_data.get("api_version") or V1

    def payload(self) -> dict:
        data = self.cleaned_data
        streets = tuple(
            line.strip() for line in data["billing_streets"].splitlines() if line.strip()
        )
        fields = {
            name: data[name]
            for name in self.fields
            if not name.startswith("billing_") and name != "api_version"
        }
        fields["billing_address"] = rcv.Address(
            country=data["billing_country"].upper(),
            streets=streets,
            city=data["billing_city"],
            zip_code=data["billing_zip_code"],
        )
        return fields


class AssignmentMessageForm(forms.Form):
    """Writing to Visma Amili about one assignment; Maventa opens the thread if there is none."""

    subject = forms.CharField(
        required=False, max_length=300, help_text="Only used when a new conversation starts."
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        strip=True,
        label="Message to Visma Amili",
        error_messages={"required": "Write the message."},
    )


class OwnInvoiceImageForm(forms.Form):
    """The v2 setting: whose invoice image and payment details the invoices carry."""

    own_invoice_image = forms.TypedChoiceField(
        label="Invoice image and payment details",
        choices=[
            ("true", "The company's own (its image, account and reference)"),
            ("false", "Visma Financial Solutions' (its image, account and reference)"),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
