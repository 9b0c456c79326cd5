"""The account statement of one day of an OP Laskulaina credit account, as a bank gives it: an
ISO 20022 camt.053.001.02 document (the SEPA XML statement Finnish banks send).

The credit account is the company's debt: a withdrawal is a debit (the debt grows), a customer's
repayment a credit. Balances are the debt at the opening and the close of the day, shown as
debit balances; the account is OP's account of the service (``OP_BANK_DETAILS``).
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from lxml import etree

from .models import Company, OpCreditEntry
from .op_credit import OP_BANK_DETAILS

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
ON_STATEMENT = (OpCreditEntry.Kind.WITHDRAWAL, OpCreditEntry.Kind.REPAYMENT)


def entries_of(company: Company, day: date) -> list[OpCreditEntry]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return list(
        OpCreditEntry.objects.filter(
            company=company,
            kind__in=ON_STATEMENT,
            booked_at__gte=start,
            booked_at__lt=start + timedelta(days=1),
        ).order_by("booked_at")
    )


def _debt_before(company: Company, moment: datetime) -> Decimal:
    debt = Decimal(0)
    for entry in OpCreditEntry.objects.filter(
        company=company, kind__in=ON_STATEMENT, booked_at__lt=moment
    ):
        debt += entry.amount if entry.kind == OpCreditEntry.Kind.WITHDRAWAL else -entry.amount
    return debt


def statement(company: Company, day: date, entries: list[OpCreditEntry]) -> bytes:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    opening = _debt_before(company, start)
    closing = _debt_before(company, start + timedelta(days=1))
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    root = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    report = _sub(root, "BkToCstmrStmt")
    header = _sub(report, "GrpHdr")
    _sub(header, "MsgId", f"OPLL-{company.pk.hex[:12]}-{day:%Y%m%d}")
    _sub(header, "CreDtTm", now)
    stmt = _sub(report, "Stmt")
    _sub(stmt, "Id", f"{company.pk.hex[:12]}-{day:%Y%m%d}")
    _sub(stmt, "CreDtTm", now)
    period = _sub(stmt, "FrToDt")
    _sub(period, "FrDtTm", start.isoformat())
    _sub(period, "ToDtTm", (start + timedelta(days=1, seconds=-1)).isoformat())
    account = _sub(stmt, "Acct")
    _sub(_sub(account, "Id"), "IBAN", OP_BANK_DETAILS["iban"])
    _sub(account, "Ccy", "EUR")
    _sub(_sub(_sub(account, "Svcr"), "FinInstnId"), "BIC", OP_BANK_DETAILS["bic"])
    _balance(stmt, "OPBD", opening, day)
    _balance(stmt, "CLBD", closing, day)
    summary = _sub(_sub(stmt, "TxsSummry"), "TtlNtries")
    _sub(summary, "NbOfNtries", str(len(entries)))
    _sub(summary, "Sum", _money(sum((e.amount for e in entries), Decimal(0))))
    for entry in entries:
        _entry(stmt, entry)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _balance(stmt: etree._Element, code: str, debt: Decimal, day: date) -> None:
    balance = _sub(stmt, "Bal")
    _sub(_sub(_sub(balance, "Tp"), "CdOrPrtry"), "Cd", code)
    _sub(balance, "Amt", _money(abs(debt)), Ccy="EUR")
    _sub(balance, "CdtDbtInd", "DBIT" if debt >= 0 else "CRDT")
    _sub(_sub(balance, "Dt"), "Dt", day.isoformat())


def _entry(stmt: etree._Element, entry: OpCreditEntry) -> None:
    withdrawal = entry.kind == OpCreditEntry.Kind.WITHDRAWAL
    node = _sub(stmt, "Ntry")
    _sub(node, "NtryRef", entry.pk.hex)
    _sub(node, "Amt", _money(entry.amount), Ccy="EUR")
    _sub(node, "CdtDbtInd", "DBIT" if withdrawal else "CRDT")
    _sub(node, "Sts", "BOOK")
    _sub(_sub(node, "BookgDt"), "DtTm", entry.booked_at.astimezone(UTC).isoformat())
    _sub(_sub(node, "ValDt"), "Dt", entry.booked_at.astimezone(UTC).date().isoformat())
    _sub(_sub(_sub(node, "BkTxCd"), "Prtry"), "Cd", entry.kind)
    details = _sub(_sub(node, "NtryDtls"), "TxDtls")
    _sub(_sub(details, "Refs"), "EndToEndId", entry.pk.hex)
    _sub(details, "AddtlTxInf", "Withdrawal" if withdrawal else "Repayment")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"
