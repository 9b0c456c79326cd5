from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from companies.models import Company
from maventa_portal.core.validators import plain_text

from .services.drafts import LANGUAGES, MAX_ATTACHMENTS, ROUTES

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
