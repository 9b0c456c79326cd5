"""The setup page's QR code, drawn on the server as inline SVG.

The site's Content-Security-Policy allows no inline script or style and images only from
itself, so the code is neither fetched nor drawn by a script: qrcode's path factory writes one
``<path>`` whose colours are SVG presentation attributes (``fill=...``), never ``style=``,
on a white square that keeps it readable in the admin's dark theme.
"""

import qrcode
from django.utils.safestring import SafeString, mark_safe
from qrcode.image.svg import SvgPathFillImage


def qr_svg(data: str) -> SafeString:
    image = qrcode.make(data, image_factory=SvgPathFillImage, box_size=12, border=2)
    # ElementTree escapes every attribute value; the markup holds nothing taken from a request.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
