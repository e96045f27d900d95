"""Building a session from what the user gives: host, account, secret, level, timeouts.

Accepts plain arguments or a CLI `ConnectOptions` (whose secrets are `Secret`s), so the
command line and library users reach the same code.
"""

from __future__ import annotations

from typing import Any

from wua.client.ping import DEFAULT_PING_PERIOD
from wua.client.session import DEFAULT_POOL_SIZE, AsyncSession, SessionOptions
from wua.client.transport import STAGE_AUTH, HostAddress, SecurityMaker
from wua.errors import AuthenticationFailed
from wua.rpc.security import (
    AuthLevel,
    Credentials,
    KerberosCredentials,
    negotiate_client,
    ntlm_client,
)
from wua.rpc.security.kerberos_tickets import KerberosLogin, SessionTickets

_LEVELS = {
    "privacy": AuthLevel.PKT_PRIVACY,
    "integrity": AuthLevel.PKT_INTEGRITY,
    "connect": AuthLevel.CONNECT,
}


def _reveal(value: Any) -> Any:
    """A CLI `Secret` gives its value only when asked; plain strings pass through."""
    reveal = getattr(value, "reveal", None)
    return reveal() if callable(reveal) else value


def auth_level_of(value: Any) -> AuthLevel:
    if isinstance(value, AuthLevel):
        return value
    rpc = getattr(value, "rpc", None)  # wua.cli.connect_options.AuthLevel
    if isinstance(rpc, AuthLevel):
        return rpc
    return _LEVELS[str(value).lower()]


def credentials_of(
    username: str,
    *,
    password: Any = None,
    nt_hash: Any = None,
    domain: str = "",
    kerberos: bool = False,
) -> Credentials | KerberosCredentials:
    """NTLM credentials (a password or an NT hash), or with `kerberos` a Kerberos
    principal: with a password, tickets are asked of the KDC for the session; without,
    the ticket cache's are used (of `username`, or the cache's own principal)."""
    hash_value = _reveal(nt_hash)
    if kerberos:
        if hash_value is not None:
            raise ValueError("Kerberos takes a password or the ticket cache, not an NT hash")
        return KerberosCredentials(username or None, domain, _reveal(password) or None)
    if isinstance(hash_value, str):
        return Credentials.from_hashes(username, hash_value, domain)
    if isinstance(hash_value, bytes):
        return Credentials(username, domain, nt_hash=hash_value)
    return Credentials(username, domain, password=_reveal(password) or "")


def security_maker(
    credentials: Credentials | KerberosCredentials,
    level: AuthLevel,
    target: str,
    tickets: SessionTickets | None = None,
) -> SecurityMaker:
    """A factory of fresh client contexts: every connection needs its own. Kerberos
    contexts are Negotiate with Kerberos only (as Windows' DCOM binds), from the
    session's `tickets` once they are fetched."""

    def new_context() -> Any:
        if tickets is not None:
            return negotiate_client(tickets.credentials, level, target_host=target)
        if isinstance(credentials, KerberosCredentials):
            return negotiate_client(credentials, level, target_host=target)
        return ntlm_client(credentials, level, target_host=target)

    return new_context


def build_session(
    host: Any,
    username: str | None = None,
    password: Any = None,
    *,
    nt_hash: Any = None,
    domain: str = "",
    kerberos: bool = False,
    auth_level: Any = "privacy",
    timeout: float | None = 10.0,
    call_timeout: float | None = 900.0,
    ping_period: float = DEFAULT_PING_PERIOD,
    pool_size: int = DEFAULT_POOL_SIZE,
    kerberos_login: KerberosLogin | None = None,
) -> AsyncSession:
    """An unopened session; `host` may be 'name', 'name:port' or a ConnectOptions.

    `kerberos_login`, with `kerberos`: a TGT shared with other sessions (a fleet run's),
    used instead of a login of the session's own."""
    if hasattr(host, "connect_timeout") and hasattr(host, "secret"):
        options = host
        return build_session(
            f"{options.host}:{options.port}",
            options.username or "",
            options.secret,
            nt_hash=options.nt_hash,
            domain=options.domain or "",
            kerberos=options.kerberos,
            auth_level=options.auth_level,
            timeout=options.connect_timeout,
            call_timeout=options.call_timeout,
            ping_period=ping_period,
            pool_size=pool_size,
            kerberos_login=kerberos_login,
        )
    address = HostAddress.parse(str(host))
    if not username and not kerberos:
        # An anonymous NTLM logon is refused like a wrong password, and the message would
        # send the user hunting for a typo in a password they never gave.
        raise AuthenticationFailed(
            "no account given: remote WUA needs an administrator of the host "
            "(-u DOMAIN\\user or user@domain, WUA_USER or username in the config file; "
            "in Python the username argument)",
            host=address.host,
            stage=STAGE_AUTH,
        )
    credentials = credentials_of(
        username or "", password=password, nt_hash=nt_hash, domain=domain, kerberos=kerberos
    )
    tickets = None
    if isinstance(credentials, KerberosCredentials):
        tickets = SessionTickets(credentials, address.host, kerberos_login)
    level = auth_level_of(auth_level)
    security = security_maker(credentials, level, address.host, tickets)
    options = SessionOptions(timeout, call_timeout, ping_period, pool_size, int(level))
    return AsyncSession(address, security, options, tickets)
