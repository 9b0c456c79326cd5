"""Tokens and who may call what: token issue, the bearer check and the scope table.

Decisions kept here (FIELDS.md section 1):
- scope names and the aliases ``eui``, ``global`` and ``company``; no scope asked means
  ``global company`` for a company and every ``operator:*`` scope for an operator;
- the scope each path needs, in ``SCOPE_TABLE``: the first rule whose prefix matches wins, GET
  and HEAD need the read scope, other methods the write scope. A new endpoint adds one line here
  and wraps its view in ``@bearer``; an endpoint with no line answers 500 until it gets one;
- a token short of the scope (or of the wrong kind) answers 401 ``insufficient_scope``, never
  403 (FIELDS.md section 12, item 26).
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import accounts
from .models import Company, Operator, Token, User, Vendor, digest
from .responses import error

logger = logging.getLogger(__name__)

TOKEN_SALT = "maventa_portal.sandbox.token"  # noqa: S105 - a signing salt, not a secret

OPERATOR_SCOPES = (
    "operator:documents:receive",
    "operator:documents:send",
    "operator:lookup",
    "operator:participants",
    "operator:notifications",
    "operator:validate",
    "operator:receivables:assignments",
    "operator:receivables:assignments:create",
    "operator:receivables:account_statement",
    "operator:analysis",
    "operator:companies",
    "operator:takeover",
    "operator:billing:actions",
    "operator:sending_parties:write",
    "operator:supplier_bank_accounts:write",
    "operator:user:create",
)
ALIASES = {
    "eui": tuple(
        "eui:open company:read company:write lookup receivables:assignments document:send"
        " document:receive invoice:receive invoice:send analysis".split()
    ),
    "global": ("company:read", "document:receive", "document:send", "lookup"),
    "company": ("company:read", "company:write"),
}
COMPANY_SCOPES = (
    *ALIASES,
    *ALIASES["eui"],
    "validate",
    "billing:reports",
    "partner:invoice_delivery_actions",
    "partner:lookups",
    "partner:takeovers",
    "partner:lyanthe_scan_service",
    "fi_bank_message:send",
    "fi_bank_message:receive",
)
DEFAULT_COMPANY_SCOPE = ("global", "company")

COMPANY, OPERATOR, ANY = "company", "operator", "any"
INSUFFICIENT_SCOPE = "insufficient_scope"


@dataclass(frozen=True)
class Access:
    api: str
    prefix: str
    read: str | None
    write: str | None
    who: str = COMPANY


def _company(prefix: str, read: str, write: str | None = None, api: str = "ax") -> Access:
    return Access(api, prefix, read, write or read, COMPANY)


def _operator(prefix: str, scope: str) -> Access:
    return Access("ax", prefix, scope, scope, OPERATOR)


def _anyone(prefix: str) -> Access:
    return Access("ax", prefix, None, None, ANY)


# Per-path scopes are not stated by Maventa; this mapping by name is inferred (FIELDS.md section 1).
SCOPE_TABLE = (
    _anyone("/oauth2/current"),
    _anyone("/status/authenticated"),
    _operator("/v1/operator/companies", "operator:companies"),
    _operator("/v1/operator/participants", "operator:participants"),
    _operator("/v1/operator/notifications", "operator:notifications"),
    _company("/v1/services/receivables", "receivables:assignments"),
    _company("/v2/services/amili/receivables", "receivables:assignments"),
    _company("/v1/services", "company:read", "company:write"),
    _company("/v1/company/profiles", "company:read", "company:write"),
    _company("/v1/company/authorization", "company:read", "company:write"),
    _company("/v1/company", "company:read", "company:write"),
    _company("/v1/companies/authorizations", "company:read", "company:write"),
    _company("/v1/companies", "company:read", "company:write"),
    _company("/v1/invoices", "invoice:receive", "invoice:send"),
    _company("/v1/documents", "document:receive", "document:send"),
    _company("/v1/files", "document:receive", "document:send"),
    _company("/v1/lookup/", "lookup"),
    _company("/v1/entities/operators", "lookup"),
    _company("/v1/analysis", "analysis"),
    _company("/v1/partner/invoice_", "partner:invoice_delivery_actions"),
    _company("/v1/partner/lookups", "partner:lookups"),
    _company("/", "receivables:assignments", api="receivables"),
    # The Validator is "the AutoInvoice validator service" of scope validate (FIELDS.md 1).
    _company("/", "validate", api="validator"),
)


class InvalidScope(Exception):
    pass


@dataclass(frozen=True)
class Principal:
    kind: str
    client_id: str
    company: Company | None = None
    user: User | None = None
    operator: Operator | None = None
    vendor: Vendor | None = None


def authenticate_client(client_id: str, secret: str, vendor_api_key: str) -> Principal | None:
    """The token endpoint's credential check; None for anything unknown or wrong."""
    if not client_id or not secret:
        return None
    vendor = None
    if vendor_api_key:
        vendor = accounts.find_vendor(vendor_api_key)
        if vendor is None:
            return None
    operator = accounts.find_operator(client_id, secret)
    if operator is not None:
        return Principal(Token.Kind.OPERATOR, client_id, operator=operator, vendor=vendor)
    company = accounts.find_company(client_id)
    if company is None:
        return None
    user = company.users.filter(api_key_digest=digest(secret)).first()
    if user is None:
        return None
    return Principal(Token.Kind.COMPANY, client_id, company=company, user=user, vendor=vendor)


def grant_scopes(kind: str, requested: str | None) -> list[str]:
    names = list(dict.fromkeys((requested or "").split()))
    if not names:
        return list(OPERATOR_SCOPES if kind == Token.Kind.OPERATOR else DEFAULT_COMPANY_SCOPE)
    allowed = OPERATOR_SCOPES if kind == Token.Kind.OPERATOR else COMPANY_SCOPES
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise InvalidScope(f"Unknown or not allowed scope: {' '.join(unknown)}")
    return names


def expand(scope: str) -> set[str]:
    granted: set[str] = set()
    for name in scope.split():
        granted.add(name)
        granted.update(ALIASES.get(name, ()))
    return granted


def issue_token(principal: Principal, scopes: list[str], ttl: int) -> tuple[str, Token]:
    expires_at = timezone.now() + timedelta(seconds=ttl)
    # A random-length jti keeps tokens of varying length, as Maventa's signed tokens are.
    payload = {
        "jti": secrets.token_urlsafe(16 + secrets.randbelow(17)),
        "sub": principal.client_id,
        "kind": principal.kind,
        "exp": int(expires_at.timestamp()),
    }
    access_token = signing.dumps(payload, salt=TOKEN_SALT)
    token = Token.objects.create(
        token_digest=digest(access_token),
        kind=principal.kind,
        client_id=principal.client_id,
        company=principal.company,
        user=principal.user,
        operator=principal.operator,
        vendor=principal.vendor,
        scope=" ".join(scopes),
        expires_at=expires_at,
    )
    logger.debug("sandbox issued a %s token for client %s", principal.kind, principal.client_id)
    return access_token, token


def expire_all_tokens() -> int:
    return Token.objects.filter(expires_at__gt=timezone.now()).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def unauthorized(message: str) -> HttpResponse:
    return error(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def out_of_scope(access: Access, token: Token, method: str, path: str) -> HttpResponse:
    """A valid token that may not do this: 401, as Maventa's generic errors give "no access
    to the requested resource" (FIELDS.md section 0; 403 appears only on invoice reports).
    The code and the challenge are OAuth2's for a token short of scope (RFC 6750 section 3);
    Maventa's own code is not documented."""
    needed = access.read if method in {"GET", "HEAD"} else access.write
    if access.who not in (ANY, token.kind):
        message = f"This {token.kind} token has no access to {path}"
    else:
        message = f"The token's scope does not cover {method} {path} (needs {needed})"
    challenge = f'Bearer error="insufficient_scope", scope="{needed or ""}"'
    return error(401, INSUFFICIENT_SCOPE, message, headers={"WWW-Authenticate": challenge})


def access_for(api: str, path: str) -> Access | None:
    return next((a for a in SCOPE_TABLE if a.api == api and path.startswith(a.prefix)), None)


def admits(access: Access, token: Token, method: str) -> bool:
    if access.who != ANY and access.who != token.kind:
        return False
    needed = access.read if method in {"GET", "HEAD"} else access.write
    return needed is None or needed in expand(token.scope)


def token_from_request(request: HttpRequest) -> Token | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        return None
    try:
        signing.loads(value, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    # Every call asks: only the company is joined (the rest is read by a few views), and the
    # digest is unique, so no ordering.
    found = Token.objects.select_related("company").filter(
        token_digest=digest(value), expires_at__gt=timezone.now()
    )
    return next(iter(found), None)


def bearer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Checks the token against ``SCOPE_TABLE``; sets ``request.sandbox_token`` and
    ``request.sandbox_company`` (None for operators)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        api, path = request.sandbox_api, request.sandbox_path  # set by the gateway
        access = access_for(api, path)
        if access is None:
            return error(500, "internal_server_error", f"Sandbox has no scope rule for {path}")
        if not request.headers.get("Authorization"):
            return unauthorized("The access token is missing")
        token = token_from_request(request)
        if token is None:
            return unauthorized("The access token is invalid or expired")
        if not admits(access, token, request.method or "GET"):
            return out_of_scope(access, token, request.method or "GET", path)
        request.sandbox_token = token
        request.sandbox_company = token.company
        return view(request, *args, **kwargs)

    return wrapped
