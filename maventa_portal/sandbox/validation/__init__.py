"""The Validator API's checks: is a business document well-formed XML of a known format, and
does it keep a handful of its format's real rules (``*_rules.py``)?

``validate(data, format)`` answers ``Report``; a file that is not XML, or not a format read
here, is a fatal finding rather than an error: the validator's answer is its findings. Rule
ids are the specifications' own; ``XML`` (not well-formed), ``FORMAT`` (not a known format, or
not the format asked for) and ``SCHEMA`` (a mandatory element missing) stand for the XML
schema stage, which has no rule ids of its own.
"""

from dataclasses import dataclass, field

from lxml import etree

from .. import einvoice
from ..einvoice.safe import XmlRefused, parse_xml
from . import finvoice_rules, teapps_rules, ubl_rules
from .findings import FATAL, WARNING, Finding

__all__ = ["FATAL", "WARNING", "Finding", "Report", "validate"]

# The format names a caller may ask for: the four formats of the Validator (API.md), as
# Maventa names them (EHF Billing 3.0 is Peppol BIS Billing 3.0 with Norwegian rules).
FORMATS = ("PEPPOLBIS30", "EHF30", "FINVOICE30", "TEAPPS30")


@dataclass
class Report:
    format: str = ""
    document_type: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(f.severity == FATAL for f in self.findings)

    def as_dict(self) -> dict:
        body = {"valid": self.valid, "findings": [f.as_dict() for f in self.findings]}
        body |= {"errors": sum(f.severity == FATAL for f in self.findings)}
        body |= {"warnings": sum(f.severity == WARNING for f in self.findings)}
        if self.format:
            body["format"] = self.format
        if self.document_type:
            body["document_type"] = self.document_type
        return body


def validate(data: bytes, wanted: str = "") -> Report:
    try:
        root = parse_xml(data)
    except XmlRefused as exc:
        location = f"/ (line {exc.line})" if exc.line else "/"
        return Report(findings=[Finding("XML", FATAL, str(exc), location)])
    detected = einvoice.detect_root(root)
    if detected is None or not detected.format:
        message = f"Not a format the validator knows ({etree.QName(root).localname})"
        return Report(findings=[Finding("FORMAT", FATAL, message, f"/{root.tag}")])
    report = Report(format=detected.format, document_type=detected.kind)
    is_ehf = detected.format == "PEPPOLBIS30" and _norwegian(root)
    if wanted and wanted != detected.format and not (wanted == "EHF30" and is_ehf):
        message = f"The document is {detected.format}, not {wanted}"
        report.findings.append(Finding("FORMAT", FATAL, message, f"/{etree.QName(root).localname}"))
        return report
    if not detected.is_invoice:
        return report  # the sandbox checks the rules of invoices and credit notes only
    rules = {"Finvoice": finvoice_rules, "INVOICE_CENTER": teapps_rules}.get(root.tag, ubl_rules)
    report.findings += rules.check(root)
    return report


def _norwegian(root: etree._Element) -> bool:
    path = (
        "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
    )
    return (root.findtext(path, namespaces=einvoice.ubl.NS) or "").strip() == "NO"
