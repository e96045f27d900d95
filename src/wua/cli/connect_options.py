"""What the client needs to connect to one host, resolved from CLI, environment and config.

The network client consumes `ConnectOptions` as it is; nothing here opens a socket.
Secrets are `Secret`s, so printing or logging the options never shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wua.cli.secret import Secret
from wua.rpc.security.base import AuthLevel as RpcAuthLevel


class AuthLevel(StrEnum):
    """RPC authentication level. Hardened Windows (KB5004442) refuses below integrity."""

    PRIVACY = "privacy"
    INTEGRITY = "integrity"
    CONNECT = "connect"

    @property
    def rpc(self) -> RpcAuthLevel:
        """The sec_trailer value (MS-RPCE 2.2.1.1.8) the client binds with."""
        return _RPC_LEVELS[self]


_RPC_LEVELS = {
    AuthLevel.PRIVACY: RpcAuthLevel.PKT_PRIVACY,
    AuthLevel.INTEGRITY: RpcAuthLevel.PKT_INTEGRITY,
    AuthLevel.CONNECT: RpcAuthLevel.CONNECT,
}


@dataclass(frozen=True)
class Defaults:
    """Built-in defaults, the last layer under the config file.

    call_timeout is long on purpose: IUpdateSearcher::Search is blocking and can take
    many minutes on a real host.
    """

    port: int = 135
    auth_level: AuthLevel = AuthLevel.PRIVACY
    connect_timeout: float = 10.0
    call_timeout: float = 900.0


BUILTIN_DEFAULTS = Defaults()


@dataclass(frozen=True)
class ConnectOptions:
    host: str
    port: int
    username: str | None
    domain: str | None
    secret: Secret | None
    nt_hash: Secret | None
    kerberos: bool
    auth_level: AuthLevel
    connect_timeout: float
    call_timeout: float

    def nt_hash_bytes(self) -> bytes | None:
        """The 16-byte NT hash for NTLM, or None when a password or Kerberos is used."""
        return None if self.nt_hash is None else bytes.fromhex(self.nt_hash.reveal())
