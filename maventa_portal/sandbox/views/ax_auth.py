"""AX auth: ``POST /oauth2/token``, ``GET /oauth2/current``, ``GET /status/authenticated``.

A refused token request never repeats what was submitted: not the secret, not the keys.
"""

from django.http import HttpRequest, HttpResponse

from .. import auth
from ..faults import switchboard
from ..responses import error, isoformat, json_response
from ..stats import stats

FORM = "application/x-www-form-urlencoded"


def token(request: HttpRequest) -> HttpResponse:
    """``POST /oauth2/token`` (form) -> 200 APIEntitiesOAuthToken."""
    if request.content_type != FORM:
        return error(400, "invalid_request", f"The request body must be {FORM}")
    data = request.POST
    if data.get("grant_type") != "client_credentials":
        return error(400, "unsupported_grant_type", "grant_type must be client_credentials")
    principal = auth.authenticate_client(
        data.get("client_id", ""), data.get("client_secret", ""), data.get("vendor_api_key", "")
    )
    if principal is None:
        return error(401, "invalid_client", "Client authentication failed")
    try:
        scopes = auth.grant_scopes(principal.kind, data.get("scope"))
    except auth.InvalidScope as exc:
        return error(400, "invalid_scope", str(exc))
    ttl = switchboard.token_ttl
    access_token, _ = auth.issue_token(principal, scopes, ttl)
    stats.record_token_issued()
    return json_response(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "scope": " ".join(scopes),
        }
    )


@auth.bearer
def current(request: HttpRequest) -> HttpResponse:
    """``GET /oauth2/current`` -> 200 APIEntitiesOAuthCurrent ``{user, company, scopes}``."""
    token = request.sandbox_token
    return json_response(
        {"user": _user(token), "company": _party(token), "scopes": token.scope.split()}
    )


def _user(token) -> dict[str, str]:
    if token.user is None:
        return {"id": token.client_id}
    user = token.user
    body = {"id": str(user.pk), "email": user.email}
    # Optional fields are left out rather than sent empty (FIELDS.md section 0).
    body.update(
        {k: v for k, v in (("first_name", user.first_name), ("last_name", user.last_name)) if v}
    )
    return body


def _party(token) -> dict[str, object]:
    """The token's company; for an operator token, the operator itself.

    The schema requires ``company`` (an object with ``id``) and says nothing of operators: the
    party an operator token speaks for is the operator, named by its id as ``user`` is, and
    with no company fields to give (assumed).
    """
    company = token.company
    if company is None:
        return {"id": token.client_id}
    body: dict[str, object] = {
        "id": str(company.pk),
        "bid": company.bid,
        "name": company.name,
        "country": company.country,
        "wizard_done": True,
        "disabled": False,
    }
    if company.vat:
        body["vat"] = company.vat
    return body


@auth.bearer
def authenticated(request: HttpRequest) -> HttpResponse:
    """``GET /status/authenticated`` -> 200 ``{client_id, expires_at}``."""
    token = request.sandbox_token
    return json_response({"client_id": token.client_id, "expires_at": isoformat(token.expires_at)})
