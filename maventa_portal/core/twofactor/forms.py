from django import forms

# Named as django-otp names it, so that AXES_SENSITIVE_PARAMETERS keeps it out of any record.
CODE_FIELD = "otp_token"


def _code_field(*, label: str, help_text: str, inputmode: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "inputmode": inputmode,
                "spellcheck": "false",
                "size": 12,
            }
        ),
    )


class SetupCodeForm(forms.Form):
    otp_token = _code_field(
        label="Code from the app",
        help_text="The six digits your authenticator app shows for this account.",
        inputmode="numeric",
    )


class VerifyCodeForm(forms.Form):
    otp_token = _code_field(
        label="Code",
        help_text="The six digits your authenticator app shows now, or an unused recovery code.",
        inputmode="text",
    )
