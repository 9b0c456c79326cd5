"""Environments and their hosts: the one table to correct when Maventa moves a host."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SANDBOX, STAGE, PRODUCTION = "sandbox", "stage", "production"
ENVIRONMENTS = (SANDBOX, STAGE, PRODUCTION)


@dataclass(frozen=True)
class ApiHosts:
    ax: str
    validator: str
    receivables: str
    payslip: str


# AX and Payslip hosts are from Maventa's overview and public clients (API.md). The Validator and
# Receivables hosts are assumed by the same naming; correct them here, nowhere else.
HOSTS: dict[str, ApiHosts] = {
    STAGE: ApiHosts(
        ax="https://ax-stage.maventa.com",
        validator="https://validator-stage.maventa.com",
        receivables="https://receivables-stage.maventa.com",
        payslip="https://payslip-stage.maventa.com",
    ),
    PRODUCTION: ApiHosts(
        ax="https://ax.maventa.com",
        validator="https://validator.maventa.com",
        receivables="https://receivables.maventa.com",
        payslip="https://payslip.maventa.com",
    ),
}


def sandbox_hosts(base_url: str) -> ApiHosts:
    """The built-in sandbox serves each API under its own prefix of one server."""
    base = base_url.rstrip("/")
    return ApiHosts(
        ax=f"{base}/ax",
        validator=f"{base}/validator",
        receivables=f"{base}/receivables",
        payslip=f"{base}/payslip",
    )


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    # A Retry-After longer than this is not waited for inside a request: the caller reschedules.
    retry_after_max: float = 30.0


@dataclass(frozen=True)
class ClientConfig:
    environment: str
    hosts: ApiHosts
    vendor_api_key: str = field(default="", repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retry: RetryPolicy = RetryPolicy()
    user_agent: str = "MaventaPortal"
    pool_size: int = 20
    # Tokens count as expired this long before Maventa's expiry, so that a 401 is rare.
    token_margin: float = 300.0

    def __post_init__(self) -> None:
        if self.environment not in ENVIRONMENTS:
            raise ValueError(f"Unknown Maventa environment {self.environment!r}.")

    @classmethod
    def for_environment(
        cls, environment: str, *, sandbox_url: str = "", **options: object
    ) -> ClientConfig:
        if environment == SANDBOX:
            if not sandbox_url:
                raise ValueError("The sandbox environment needs the sandbox's base URL.")
            hosts = sandbox_hosts(sandbox_url)
        else:
            hosts = HOSTS[environment]
        return cls(environment=environment, hosts=hosts, **options)  # type: ignore[arg-type]

    def with_options(self, **changes: object) -> ClientConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def token_url(self) -> str:
        return f"{self.hosts.ax}/oauth2/token"
