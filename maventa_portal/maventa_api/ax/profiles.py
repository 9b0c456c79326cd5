"""Network profile registrations (API.md "Network profiles"; FIELDS.md section 3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..client import Api
from ..entities import from_json, list_from_json

# Maventa answers lower-case statuses (FIELDS.md section 3).
PROFILE_STATUSES = ("active", "pending", "error")
# API.md's names the schema's network enum spells otherwise: "SCAN_DOCUMENTS (or
# VISMASCANNER)", and the enum has VISMASCANNER only (FIELDS.md section 12, item 9). The client
# sends the schema's name; callers may use either.
SCHEMA_NETWORK_NAMES = {"SCAN_DOCUMENTS": "VISMASCANNER"}


def schema_network(network: str) -> str:
    """The network as Maventa's schema names it, for requests."""
    return SCHEMA_NETWORK_NAMES.get(network, network)


def network_spellings(network: str) -> frozenset[str]:
    """Every name of the network `network` is, for comparing what Maventa answers."""
    wire = schema_network(network)
    return frozenset({wire, *(n for n, w in SCHEMA_NETWORK_NAMES.items() if w == wire)})


@dataclass(frozen=True)
class Profile:
    id: str = ""
    status: str = ""
    network: str = "PEPPOL"
    profiles: list[str] = field(default_factory=list)
    profile: str = ""
    profile_version: str = ""
    endpoint_id: str = ""
    scheme: str = ""
    network_settings: dict[str, Any] = field(default_factory=dict)
    last_event: dict[str, Any] = field(default_factory=dict)
    # API.md's GET of one profile adds this; the 2023 schema does not have it yet.
    profiles_with_extensions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _path(profile_id: str) -> str:
    return f"/v1/company/profiles/{quote(profile_id, safe='')}"


def create_profile(
    api: Api,
    *,
    network: str,
    profiles: Iterable[str],
    profile_version: str = "",
    endpoint_id: str = "",
    scheme: str = "",
) -> Profile:
    """`POST /v1/company/profiles` -> 201 Profile (422 with Maventa's conflict codes)."""
    payload: dict[str, Any] = {"network": schema_network(network), "profiles": list(profiles)}
    for key, value in (
        ("profile_version", profile_version),
        ("endpoint_id", endpoint_id),
        ("scheme", scheme),
    ):
        if value:
            payload[key] = value
    body = api.post("/v1/company/profiles", json=payload, resource="network profiles").body()
    return from_json(Profile, body)


def list_profiles(
    api: Api, *, network: Iterable[str] = (), status: Iterable[str] = ()
) -> list[Profile]:
    """`GET /v1/company/profiles` -> 200 Profile[] (filters `network[]`, `status[]`)."""
    params = [("network[]", schema_network(n)) for n in network]
    params += [("status[]", s) for s in status]
    body = api.get("/v1/company/profiles", params=params, resource="network profiles").body()
    return list_from_json(Profile, body)


def get_profile(api: Api, *, profile_id: str) -> Profile:
    """`GET /v1/company/profiles/{id}` -> 200 Profile."""
    return from_json(Profile, api.get(_path(profile_id), resource="the network profile").body())


def delete_profile(api: Api, *, profile_id: str) -> None:
    """`DELETE /v1/company/profiles/{id}` -> 204 (409 profile_deletion_not_allowed)."""
    api.delete(_path(profile_id), resource="the network profile")


def set_extensions(
    api: Api, *, profile_id: str, profile_name: str, extensions: Iterable[str]
) -> None:
    """`PUT /v1/company/profiles/{id}/extensions` (API.md; newer than the 2023 schema)."""
    api.put(
        f"{_path(profile_id)}/extensions",
        json={"profile_name": profile_name, "extensions": list(extensions)},
        resource="profile extensions",
    )
