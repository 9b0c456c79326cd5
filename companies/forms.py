from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError

from maventa_portal.core.bulk.forms import RequestKeyForm
from maventa_portal.core.validators import plain_text
from maventa_portal.maventa_api.ax.companies import AUTHORIZATION_LOCALES

from .bids import normalise_bid
from .models import Country, Network, VendorKey
from .profile_rules import (
    AGREEMENT_NETWORKS,
    EHF30,
    PEPPOLBIS30,
    PROFILES_BY_NETWORK,
    default_profile_version,
    networks_for,
)
from .services.onboarding import CREATION_COUNTRIES

KYC_PROOF_MAX_LENGTH = 10_000
KYC_PROOF_NOT_JSON = (
    'The proof of your own KYC must be JSON text, such as {"provider": "…", "checked": "…"}.'
)
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_TOO_LARGE = "The CSV file is larger than 2 MB; split it."


def _profile_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every profile a network registers, grouped by the networks that take it, so that staff
    see which profiles go with which network before Maventa's rules refuse a mix."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for profile in dict.fromkeys(p for names in PROFILES_BY_NETWORK.values() for p in names):
        groups.setdefault(tuple(networks_for(profile, AGREEMENT_NETWORKS)), []).append(profile)
    return [
        (f"In {', '.join(networks)}", [(p, p) for p in profiles])
        for networks, profiles in groups.items()
    ]


PROFILE_CHOICES = _profile_choices()
VERSION_CHOICES = [
    ("", "Each company's default (EHF30 in Norway, PEPPOLBIS30 elsewhere)"),
    (PEPPOLBIS30, PEPPOLBIS30),
    (EHF30, "EHF30 (Norway's national format)"),
]
EXTENSION_CHOICES = [("GACCOUNT10", "GACCOUNT10 (Netherlands only)")]


class VendorKeyChoiceMixin(forms.Form):
    vendor_key = forms.ModelChoiceField(
        queryset=VendorKey.objects.all(),
        required=False,
        empty_label="The portal's default vendor key",
        help_text="The partner key the company is linked to.",
    )


class CompanyCreateForm(VendorKeyChoiceMixin):
    name = forms.CharField(max_length=200, min_length=3, validators=[plain_text])
    bid = forms.CharField(
        label="Business id",
        max_length=32,
        help_text="Y-tunnus (FI), organisasjonsnummer (NO), organisationsnummer (SE) ...",
    )
    country = forms.ChoiceField(choices=[c for c in Country.choices if c[0] in CREATION_COUNTRIES])
    email = forms.EmailField(
        max_length=254,
        validators=[plain_text],
        help_text="The company's contact address; Maventa writes to it.",
    )
    address1 = forms.CharField(label="Street address", max_length=200, validators=[plain_text])
    post_code = forms.CharField(max_length=20, validators=[plain_text])
    post_office = forms.CharField(max_length=100, validators=[plain_text])
    city = forms.CharField(max_length=100, validators=[plain_text])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bid") and cleaned.get("country"):
            try:
                cleaned["bid"] = normalise_bid(cleaned["bid"], cleaned["country"])
            except ValidationError as exc:
                self.add_error("bid", exc)
        return cleaned


class CompanyLinkForm(VendorKeyChoiceMixin):
    maventa_id = forms.UUIDField(label="Maventa company id")
    api_key = forms.CharField(
        label="User API key",
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again.",
    )


class ReplaceKeyForm(forms.Form):
    api_key = forms.CharField(
        label="New user API key",
        widget=forms.PasswordInput(render_value=False),
        help_text="Checked against Maventa before it replaces the stored key.",
    )


class CsvImportForm(RequestKeyForm):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: name, bid, country, email, address1, post_code, post_office, city to "
            "create; or maventa_id and api_key to link. One company per row."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(CSV_TOO_LARGE)
        return upload


class ProfileRegistrationForm(forms.Form):
    network = forms.ChoiceField(choices=Network.choices, initial=Network.PEPPOL)
    profiles = forms.MultipleChoiceField(
        choices=PROFILE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["INVOICE_AND_CREDIT_NOTE"],
    )
    profile_version = forms.ChoiceField(
        choices=VERSION_CHOICES,
        required=False,
        help_text="Needed for profiles other than invoices.",
    )
    extensions = forms.MultipleChoiceField(
        choices=EXTENSION_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    include_visma = forms.BooleanField(
        required=False,
        label="Register VISMA invoice receiving first where it is missing",
        help_text="Maventa receives through other networks only once VISMA receiving is on.",
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if country:
            # One company: preselect its own version (EHF30 for Norwegian companies).
            self.fields["profile_version"].choices = VERSION_CHOICES[1:]
            self.fields["profile_version"].initial = default_profile_version(country)


class BulkProfileRegistrationForm(RequestKeyForm, ProfileRegistrationForm):
    """The admin action's form. VISMA first is ticked: other networks need VISMA receiving,
    and the run adds it only where a company lacks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include_visma"].initial = True


class VerificationRequestForm(forms.Form):
    auth_email = forms.EmailField(
        label="Signatory's email",
        help_text="Maventa emails the Visma Sign request here; the signer identifies strongly.",
    )
    locale = forms.ChoiceField(
        choices=[(code, code) for code in AUTHORIZATION_LOCALES],
        help_text="Language of the email, the signing page and the agreement.",
    )
    # Maventa's `options`: JSON text, mandatory when the partner runs its own KYC (FIELDS.md
    # section 2). Checked here so that malformed proof never reaches Maventa.
    options = forms.CharField(
        required=False,
        max_length=KYC_PROOF_MAX_LENGTH,
        label="Proof of your own KYC (JSON), when you run KYC yourselves",
        help_text="Leave empty when Maventa's own KYC (the Visma Sign request) is enough.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].initial = country if country in AUTHORIZATION_LOCALES else "EN"

    def clean_options(self) -> str:
        text = self.cleaned_data["options"]
        if text:
            try:
                json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise ValidationError(KYC_PROOF_NOT_JSON) from exc
        return text
