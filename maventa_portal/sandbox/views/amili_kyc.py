"""The sandbox's stand-in for Netvisor KYC and signing, where ``activation_url`` leads.

``GET /sandbox/amili/kyc/<token>/`` shows whose onboarding it is, with "Approve" and "Reject";
``POST`` with ``decision`` ``approve`` or ``reject`` decides it (the service ACTIVE, or REJECTED)
and announces the outcome to the company's subscribers, then shows the outcome. Plain forms, no
script (the portal's CSP allows only its own). A token that is unknown answers 404; a decision
on an onboarding no longer pending answers 409.
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from .. import amili_v2
from ..responses import error

DECISIONS = {"approve": True, "reject": False}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Visma Amili: verify and sign</title></head>
<body><main>
<h1>Visma Amili: verify and sign (sandbox)</h1>
<p>Receivables service of <strong>{company}</strong> ({bid}).</p>
<p>Status: <strong id="kyc-status">{status}</strong></p>
{forms}
</main></body></html>"""
FORMS = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<button type="submit" name="decision" value="approve" id="kyc-approve">Approve</button>
<button type="submit" name="decision" value="reject" id="kyc-reject">Reject</button>
</form>"""


@require_http_methods(["GET", "HEAD", "POST"])
def kyc_page(request: HttpRequest, token: str) -> HttpResponse:
    service = amili_v2.by_token(token)
    if service is None:
        return error(404, "not_found", "No onboarding waits at this address")
    if request.method == "POST":
        approve = DECISIONS.get(request.POST.get("decision", ""))
        if approve is None:
            return error(400, "invalid_parameters", "decision must be approve or reject")
        try:
            amili_v2.decide(service, approve)
        except amili_v2.NotPending as exc:
            return error(409, "onboarding_decided", f"The onboarding is {exc} already")
        return redirect(request.path)
    status = amili_v2.status_of(service)
    pending = status == amili_v2.PENDING
    forms = format_html(FORMS, csrf=get_token(request)) if pending else ""
    company = service.company
    page = format_html(PAGE, company=company.name, bid=company.bid, status=status, forms=forms)
    return HttpResponse(page)
