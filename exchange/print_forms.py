"""The forms of Direct Print: registering a company, and sending a package of letters.

Secrets are typed in password inputs that never render their value back; upload sizes are
checked against the package limits before any file is read.
"""

from __future__ import annotations

from django import forms

from companies.models import Company
from maventa_portal.core.bulk.forms import RequestKeyForm

from .forms import MultipleFileField
from .print_models import PrintAccount, PrintBatch
from .print_packages import Limits

EXPIRED = "The form has expired: open the send page again."
NO_FILES = "Choose one zip, or one or more PDF or EPL files."
TOO_MANY_FILES = "At most {limit} files at once."
TOO_LARGE = "The files total {size} bytes, over the limit of {limit}."
ZIP_ALONE = "Send a zip on its own, or choose PDF or EPL files to be packed into one."


class PrintSendForm(RequestKeyForm):
    company = forms.ModelChoiceField(
        queryset=Company.objects.filter(print_account__state=PrintAccount.State.REGISTERED),
        empty_label="Choose a company registered for Direct Print",
    )
    files = MultipleFileField(
        label="Letters",
        help_text="One zip of PDF or EPL letters, or several PDF or EPL files packed into one. "
        "The package is checked before anything is sent.",
    )
    letter_class = forms.ChoiceField(
        choices=PrintBatch.LetterClass.choices, initial=PrintBatch.LetterClass.PRIORITY
    )
    color_print = forms.BooleanField(label="Colour", required=False)
    duplex = forms.BooleanField(label="Both sides (duplex)", required=False)
    confirm_duplicate = forms.BooleanField(
        label="Send it again",
        required=False,
        help_text="Only when the same package was sent for the company already.",
    )

    def __init__(self, *args, limits: Limits | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = limits or Limits()
        self.fields["files"].widget.attrs["accept"] = ".zip,.pdf,.epl"

    def clean_request_key(self):
        key = self.cleaned_data.get("request_key") or ""
        if not key:
            raise forms.ValidationError(EXPIRED)
        return key

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise forms.ValidationError(NO_FILES)
        if len(files) > self.limits.max_entries:
            raise forms.ValidationError(TOO_MANY_FILES.format(limit=self.limits.max_entries))
        total = sum(upload.size for upload in files)
        limit = min(self.limits.max_package_bytes, self.limits.max_total_bytes)
        if total > limit:
            raise forms.ValidationError(TOO_LARGE.format(size=total, limit=limit))
        zips = [upload for upload in files if upload.name.lower().endswith(".zip")]
        if zips and len(files) > 1:
            raise forms.ValidationError(ZIP_ALONE)
        return files

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(upload.name, upload.read()) for upload in self.cleaned_data["files"]]


class PrintRegisterForm(forms.Form):
    scheme = forms.ChoiceField(
        choices=PrintAccount.Scheme.choices,
        widget=forms.RadioSelect,
        initial=PrintAccount.Scheme.COMPANY,
        help_text="How the portal signs in to Direct Print for this company.",
    )
    username = forms.CharField(
        label="Direct Print user name",
        max_length=150,
        required=False,
        help_text="Direct Print account only. Empty: Maventa chooses one.",
    )
    password = forms.CharField(
        label="Direct Print password",
        max_length=255,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Direct Print account only. Empty: Maventa makes one. Kept encrypted, "
        "never shown again.",
    )
    user_api_key = forms.CharField(
        label="Maventa user API key",
        max_length=255,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Empty: the company's stored API key. Another key is kept encrypted, "
        "never shown again.",
    )
    contact_email = forms.EmailField(max_length=254)
    contact_phone = forms.CharField(max_length=40, required=False)
