"""Checks on free text that staff type or import, applied where the value is stored.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run as
a formula by spreadsheet programs when an export is opened; names and addresses never need
to begin so, so the portal refuses them rather than storing them for a later export to trip on.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_REFUSED = (
    "“{start}” may not begin this text: spreadsheets would run it as a formula. "
    "Remove the leading character."
)
CONTROL_REFUSED = "The text contains a control character (such as a NUL byte); remove it."


@deconstructible
class PlainText:
    """No leading formula character, no NUL or other control character but line breaks."""

    def __call__(self, value: str) -> None:
        if not value:
            return
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in value) or "\x7f" in value:
            raise ValidationError(CONTROL_REFUSED, code="control_character")
        stripped = value.lstrip(" ")
        if stripped.startswith(FORMULA_STARTS):
            raise ValidationError(
                FORMULA_REFUSED.format(start=stripped[0].replace("\t", "tab")), code="formula"
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText)


plain_text = PlainText()


def neutralise_formula(value: object) -> str:
    """For cells of files the portal offers: a leading formula character is shown as text.

    The portal refuses such text when it is typed, but a file also carries what others wrote
    (Maventa's messages, a refused row's own cells), so every exported cell goes through here.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip(" ").startswith(FORMULA_STARTS) else text
