from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies.models import Company
from maventa_portal.core.bulk.forms import RequestKeyForm
from maventa_portal.core.validators import plain_text
from maventa_portal.maventa_api import amili

from .models import Document
from .services.drafts import LANGUAGES, MAX_ATTACHMENTS, ROUTES
from .services.receiving import exchanging_companies
from .services.subscriptions import DEFAULT_EVENTS

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TOO_LARGE = "{name} is larger than 10 MB."
TOO_MANY = f"At most {MAX_ATTACHMENTS} attachments go with one invoice."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _limited(upload):
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE.format(name=upload.name))
    return upload


class SendInvoiceForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.filter(company_state=Company.State.VERIFIED).order_by("name"),
        help_text="The sending company; only companies Maventa has verified (KYC) can send.",
    )
    xml = forms.FileField(
        label="Invoice XML", help_text="Finvoice 3.0, Peppol BIS 3.0 or TEAPPSXML."
    )
    image = forms.FileField(label="PDF image", required=False)
    attachments = MultipleFileField(required=False, help_text=f"Up to {MAX_ATTACHMENTS} files.")
    recipient_eia = forms.CharField(
        label="Recipient e-invoice address",
        required=False,
        max_length=128,
        validators=[plain_text],
        help_text="Leave empty to use the one in the invoice.",
    )
    recipient_operator = forms.CharField(required=False, max_length=64, validators=[plain_text])
    recipient_email = forms.EmailField(required=False, help_text="For delivery by email.")
    disabled_routes = forms.MultipleChoiceField(
        choices=[(route, route) for route in ROUTES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Routes Maventa must not use for this invoice.",
    )
    lang = forms.ChoiceField(
        label="Language",
        choices=[("", "The company's default"), *((code, code) for code in LANGUAGES)],
        required=False,
        help_text="Of the PDF and email Maventa may generate.",
    )

    def clean_xml(self):
        return _limited(self.cleaned_data["xml"])

    def clean_image(self):
        return _limited(self.cleaned_data.get("image"))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(TOO_MANY)
        return [_limited(upload) for upload in files]


class ConfirmSendForm(forms.Form):
    resend = forms.BooleanField(
        required=False,
        label="Send it again",
        help_text="This file was already sent for this company; tick to send it once more.",
    )


class RerouteForm(forms.Form):
    """A failed invoice sent again by another route (FIELDS.md section 5, reroute fields)."""

    route = forms.ChoiceField(
        choices=[("einvoice", "E-invoice"), ("email", "Email"), ("print", "Print")]
    )
    recipient_eia = forms.CharField(required=False, max_length=128, validators=[plain_text])
    recipient_operator = forms.CharField(required=False, max_length=64, validators=[plain_text])
    recipient_email = forms.EmailField(required=False)
    recipient_name = forms.CharField(required=False, max_length=200, validators=[plain_text])
    recipient_address1 = forms.CharField(required=False, max_length=200, validators=[plain_text])
    recipient_address2 = forms.CharField(required=False, max_length=200, validators=[plain_text])
    recipient_post_code = forms.CharField(required=False, max_length=20, validators=[plain_text])
    recipient_post_office = forms.CharField(required=False, max_length=100, validators=[plain_text])
    recipient_country = forms.CharField(required=False, max_length=2, validators=[plain_text])

    NEEDS = {
        "einvoice": ("recipient_eia", "recipient_operator"),
        "email": ("recipient_email",),
        "print": (
            "recipient_name",
            "recipient_address1",
            "recipient_post_code",
            "recipient_post_office",
            "recipient_country",
        ),
    }
    TAKES = {**NEEDS, "print": (*NEEDS["print"], "recipient_address2")}

    def clean(self):
        cleaned = super().clean()
        route = cleaned.get("route")
        for name in self.NEEDS.get(route, ()):
            if not cleaned.get(name):
                self.add_error(name, f"Rerouting by {route} needs this.")
        return cleaned

    def route_fields(self) -> dict[str, str]:
        route = self.cleaned_data["route"]
        return {k: self.cleaned_data[k] for k in self.TAKES[route] if self.cleaned_data.get(k)}


class FraudReportForm(forms.Form):
    reasons = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    contact_email = forms.EmailField(help_text="Maventa may ask you about the report here.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = list(reasons)


class DetectForm(forms.Form):
    checks = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checks"].choices = list(checks)
        self.fields["checks"].initial = [value for value, _ in checks]


# Documents (FIELDS.md section 6): invoices go through the invoice form, which validates them.
DOCUMENT_TYPES = [
    (value, label)
    for value, label in Document.Type.choices
    if value not in (Document.Type.INVOICE, Document.Type.CREDIT_NOTE, Document.Type.UNKNOWN)
]


class SendDocumentForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.filter(company_state=Company.State.VERIFIED).order_by("name"),
        help_text="The sending company; only companies Maventa has verified (KYC) can send.",
    )
    file = forms.FileField(
        label="Document",
        help_text="An order, order response, despatch advice, catalogue, reminder, voucher...",
    )
    attachments = MultipleFileField(required=False, help_text=f"Up to {MAX_ATTACHMENTS} files.")
    type = forms.ChoiceField(
        choices=[("", "As the file says"), *DOCUMENT_TYPES],
        required=False,
        help_text="Needed when the portal cannot read the file's kind (a PDF, a bank file...).",
    )
    recipient_eia = forms.CharField(
        label="Recipient e-invoice address",
        required=False,
        max_length=128,
        validators=[plain_text],
        help_text="Leave empty to use the one in the file, e.g. 0037:003712345678.",
    )
    recipient_operator = forms.CharField(
        required=False,
        max_length=64,
        validators=[plain_text],
        help_text="Maventa does no lookup for documents: needed unless the file names the "
        "recipient.",
    )
    recipient_name = forms.CharField(required=False, max_length=300, validators=[plain_text])
    recipient_country = forms.CharField(
        required=False,
        min_length=2,
        max_length=2,
        validators=[plain_text],
        help_text="Two letters (ISO 3166), e.g. FI.",
    )

    def clean_file(self):
        return _limited(self.cleaned_data["file"])

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(TOO_MANY.replace("invoice", "document"))
        return [_limited(upload) for upload in files]

    def clean_recipient_country(self):
        return self.cleaned_data["recipient_country"].upper()


class FetchReceivedForm(RequestKeyForm):
    """Fetch received invoices now, as a bulk run: the companies chosen, or every one that can
    receive; from each company's watermark, or from a date staff give."""

    companies = forms.ModelMultipleChoiceField(
        queryset=Company.objects.none(),
        required=False,
        help_text="None chosen: every company that can receive.",
    )
    since = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Read again from this day (each company's own watermark when left empty).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].queryset = exchanging_companies()

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > timezone.localdate():
            raise ValidationError("Choose a day that has begun; nothing was received later.")
        return since


EVENT_CHOICES = [
    ("DOCUMENTS.*.*", "Every document event (invoices and documents: delivered, failed, received)"),
    ("NETWORKS.*", "Every network profile event (created, enabled, disabled)"),
    ("COMPANIES.AUTHORIZATION.*", "KYC state changes (verified, unverified)"),
    (amili.EVENT_PATTERN, "Receivables onboarding outcome (activated, rejected)"),
    ("DOCUMENTS.INVOICE.*", "Invoice events only"),
    ("DOCUMENTS.INVOICE.FAILED", "Failed invoice deliveries only"),
]


class SubscribeWebhooksForm(RequestKeyForm):
    """Companies to subscribe to Maventa's webhooks, as a bulk run."""

    companies = forms.ModelMultipleChoiceField(
        queryset=Company.objects.none(),
        required=False,
        help_text="None chosen: every company that can receive and has no subscription yet.",
    )
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES,
        initial=list(DEFAULT_EVENTS),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].queryset = exchanging_companies()


class SubscribeVendorForm(forms.Form):
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES,
        initial=list(DEFAULT_EVENTS),
        widget=forms.CheckboxSelectMultiple,
    )
