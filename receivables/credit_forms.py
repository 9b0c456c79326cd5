"""The forms of the invoice credit page: onboarding, terms, a withdrawal and its confirmation,
a direct payment and the statement's day. Checked here before any call."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from maventa_portal.core.bulk.forms import RequestKeyForm
from maventa_portal.maventa_api import receivables as accounts
from maventa_portal.maventa_api.ax import op_invoice_credit as op

CONFIRM_NEEDED = "Tick to confirm."
EXPIRED = "The confirmation has expired: start again."


class CreditActivationForm(forms.Form):
    contact_email = forms.EmailField(max_length=254)
    iban = forms.CharField(label="IBAN", max_length=42, help_text="The company's own account.")
    bic = forms.CharField(label="BIC", max_length=11)
    bank = forms.CharField(max_length=200)

    def clean_iban(self):
        iban = self.cleaned_data["iban"]
        if not accounts.iban_is_valid(iban):
            raise forms.ValidationError("This IBAN is not valid: check its digits.")
        return accounts.normalized_iban(iban)

    def clean_bic(self):
        bic = self.cleaned_data["bic"].strip().upper()
        if not accounts.bic_is_valid(bic):
            raise forms.ValidationError("A BIC has 8 or 11 letters and digits (OKOYFIHH).")
        return bic


class TermsForm(forms.Form):
    """The offer's terms, as staff accept them (the interest rate is OP's)."""

    b2c_enabled = forms.BooleanField(
        required=False, label="Count B2C invoices", help_text="Consumer invoices as collateral."
    )
    payment_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        help_text="The share of each payment used to repay the credit.",
    )
    interest_rate = forms.IntegerField(min_value=0, max_value=100, widget=forms.HiddenInput)
    credit_limit = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)

    def terms(self) -> op.Terms:
        data = self.cleaned_data
        return op.Terms(
            b2c_enabled=data["b2c_enabled"],
            payment_percent=data["payment_percent"],
            interest_rate=data["interest_rate"],
            credit_limit=float(data["credit_limit"]),
        )


class WithdrawalForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (EUR)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )


class WithdrawalConfirmForm(RequestKeyForm):
    """Sent from the confirmation page: the amount staff saw, and the available credit then."""

    amount = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=14, decimal_places=2, widget=forms.HiddenInput
    )
    available = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(
        label="I confirm this withdrawal", error_messages={"required": CONFIRM_NEEDED}
    )

    def clean_request_key(self):
        key = self.cleaned_data.get("request_key") or ""
        if not key:
            raise forms.ValidationError(EXPIRED)
        return key


class DirectPaymentForm(forms.Form):
    invoice_id = forms.UUIDField(label="Invoice id", help_text="The sent invoice's Maventa id.")


class StatementForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
