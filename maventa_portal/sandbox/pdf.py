"""A one-page PDF of text lines: the sandbox's "image" of an invoice (its generated image, and
the PDF the incoming-invoice generator attaches). Helvetica, Latin-1; nothing else is needed
for a viewer to open it and for a test to recognise it."""

_HEADER = b"%PDF-1.4\n"


def _escape(line: str) -> bytes:
    text = line.encode("latin-1", errors="replace")
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: list[str], title: str = "") -> bytes:
    stream = b"BT /F1 11 Tf 56 790 Td 15 TL\n"
    stream += b"".join(b"(" + _escape(line) + b") '\n" for line in lines[:48])
    stream += b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + _escape(title) + b") /Producer (Maventa sandbox) >>",
    ]
    body, offsets = _HEADER, []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    return body + b"startxref\n%d\n%%%%EOF\n" % xref
