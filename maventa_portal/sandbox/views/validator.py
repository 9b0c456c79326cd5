"""The Validator API (API.md "Validator API": "XML schema and schematron validation for XML
business documents; returns the errors found"). Its paths are not public; these are the
sandbox's (assumed), kept in this module and ``routes/validator.py``:

- ``POST /v1/validate`` -> 200 ``{valid, format?, document_type?, errors, warnings,
  findings: [{rule_id, severity, message, location}]}``: the document as the multipart
  ``file`` (with an optional ``format``: PEPPOLBIS30, EHF30, FINVOICE30, TEAPPS30) or as the
  raw body (``Content-Type: application/xml`` or ``text/xml``, ``?format=``). A document
  that is not XML, or not of the format asked, is a finding, not an error; 400 only when no
  document came. Scope ``validate`` (FIELDS.md section 1).
- ``GET /v1/rules`` -> 200 the rules the sandbox checks, by format.
"""

from django.http import HttpRequest, HttpResponse

from .. import params, uploads, validation
from ..auth import bearer
from ..einvoice import MAX_BYTES
from ..responses import BadRequest, bad_request, json_response

XML_TYPES = ("application/xml", "text/xml")
RULES = {
    "PEPPOLBIS30": (
        "BR-01",
        "BR-02",
        "BR-03",
        "BR-04",
        "BR-05",
        "BR-06",
        "BR-07",
        "BR-08",
        "BR-09",
        "BR-10",
        "BR-11",
        "BR-12",
        "BR-13",
        "BR-14",
        "BR-15",
        "BR-16",
        "BR-CO-10",
        "BR-CO-13",
        "BR-CO-14",
        "BR-CO-15",
        "BR-CO-16",
        "PEPPOL-EN16931-R001",
        "PEPPOL-EN16931-R003",
        "PEPPOL-EN16931-R004",
        "PEPPOL-EN16931-R010",
        "PEPPOL-EN16931-R020",
        "PEPPOL-EN16931-R051",
    ),
    "EHF30": ("NO-R-001", "NO-R-002"),
    "FINVOICE30": (
        "SCHEMA",
        "BR-02",
        "BR-03",
        "BR-06",
        "BR-07",
        "BR-16",
        "BR-CO-10",
        "BR-CO-14",
        "BR-CO-15",
        "BR-CO-16",
    ),
    "TEAPPS30": (
        "SCHEMA",
        "BR-02",
        "BR-03",
        "BR-06",
        "BR-07",
        "BR-16",
        "BR-CO-10",
        "BR-CO-14",
        "BR-CO-15",
    ),
}


def _document(request: HttpRequest) -> tuple[bytes, str]:
    if request.content_type in XML_TYPES:
        if len(request.body) > MAX_BYTES:
            raise BadRequest("The document is too large")
        return request.body, request.GET.get("format", "")
    data, files = uploads.form(request)
    if "file" not in files:
        raise BadRequest("Invalid parameters", ["file is missing"])
    return uploads.read(files["file"], "file").content, data.get("format", "")


@bearer
def validate(request: HttpRequest) -> HttpResponse:
    try:
        content, wanted = _document(request)
        problems: list[str] = []
        if wanted:
            params.one_of(wanted, validation.FORMATS, "format", problems)
        params.raise_if(problems)
    except BadRequest as exc:
        return bad_request(exc)
    return json_response(validation.validate(content, wanted).as_dict())


@bearer
def rules(request: HttpRequest) -> HttpResponse:
    body = {"formats": list(validation.FORMATS), "rules": {k: list(v) for k, v in RULES.items()}}
    return json_response(body)
