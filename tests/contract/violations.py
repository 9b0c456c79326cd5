"""What a breach of the contract looks like, and how it reads in a failed test."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds: the operation is not in the schema; the status is not documented for it; the body,
# a header, the media type or a parameter does not match.
UNDOCUMENTED_OPERATION = "undocumented operation"
UNDOCUMENTED_STATUS = "undocumented status"
BODY = "body"
HEADER = "header"
MEDIA_TYPE = "media type"
PARAMETER = "parameter"
AUTH = "auth"


@dataclass(frozen=True)
class Violation:
    side: str  # "responses" (the sandbox's answer) or "requests" (the client's request)
    operation: str  # "GET /v1/company/profiles/{id}", or the concrete path when unknown
    kind: str
    message: str
    status: int | None = None
    fault: bool = False  # the answer was a fault a test switched on

    def __str__(self) -> str:
        who = "sandbox answer" if self.side == "responses" else "client request"
        status = (
            f" -> {self.status}" if self.status is not None and self.side == "responses" else ""
        )
        return f"{who} {self.operation}{status}: {self.kind}: {self.message}"


def report(violations: list[Violation]) -> str:
    lines = [f"{len(violations)} breach(es) of Maventa's AX schema (tests/contract):"]
    lines += [f"  - {v}" for v in violations]
    lines.append(
        "Fix the sandbox or the client; a deliberate departure goes in "
        "tests/contract/exceptions.py with its reason."
    )
    return "\n".join(lines)
