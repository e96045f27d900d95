"""Client credentials: a password, an NT hash or a Kerberos principal, never shown in
reprs or messages."""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field

import spnego

from wua.rpc.security.ntlm_crypto import nt_hash as password_nt_hash


@dataclass(frozen=True)
class Credentials:
    """user, domain and exactly one of password / nt_hash (16 bytes)."""

    user: str
    domain: str = ""
    password: str | None = field(default=None, repr=False)
    nt_hash: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.password is None) == (self.nt_hash is None):
            raise ValueError("give exactly one of password and nt_hash")
        if self.nt_hash is not None and len(self.nt_hash) != 16:
            raise ValueError("an NT hash is 16 bytes")

    @classmethod
    def from_hashes(cls, user: str, hashes: str, domain: str = "") -> Credentials:
        """From impacket-style "LM:NT" or a bare "NT" hex string (the LM half is ignored)."""
        nt_hex = hashes.rsplit(":", 1)[-1]
        try:
            value = binascii.unhexlify(nt_hex)
        except (binascii.Error, ValueError):
            raise ValueError("the NT hash is not hexadecimal") from None
        return cls(user, domain, nt_hash=value)

    @property
    def principal(self) -> str:
        return f"{self.domain}\\{self.user}" if self.domain else self.user

    def effective_nt_hash(self) -> bytes:
        if self.nt_hash is not None:
            return self.nt_hash
        return password_nt_hash(self.password or "")

    def for_spnego(self) -> spnego.NTLMHash:
        """pyspnego's credential object, always as an NT hash (hex): NTLMv2 needs no more,
        and a hash keeps pyspnego's Negotiate from trying Kerberos with these NTLM
        credentials (`KerberosCredentials` is how Kerberos is asked for)."""
        return spnego.NTLMHash(username=self.principal, nt_hash=self.effective_nt_hash().hex())


@dataclass(frozen=True)
class KerberosCredentials:
    """A Kerberos principal: with a password, a TGT is asked of the KDC for this session;
    without one, the tickets come from a credential cache: `ccache` ("MEMORY:..." or
    "FILE:...", see `kerberos_tickets.SessionTickets`) or the default one (KRB5CCNAME,
    or `kinit`'s default), with `user` None meaning the cache's own principal."""

    user: str | None = None
    domain: str = ""
    password: str | None = field(default=None, repr=False)
    ccache: str | None = None

    @property
    def principal(self) -> str | None:
        """user@REALM: the domain upper-cased as a realm; a UPN or bare name kept as is
        (MIT then adds the default realm of krb5.conf)."""
        if not self.user:
            return None
        if self.domain and "@" not in self.user:
            return f"{self.user}@{self.domain.upper()}"
        return self.user

    def for_spnego(self) -> spnego.Password | spnego.CredentialCache | spnego.KerberosCCache:
        if self.ccache is not None:
            return spnego.KerberosCCache(ccache=self.ccache, principal=self.principal)
        if self.password is not None and self.principal is not None:
            return spnego.Password(username=self.principal, password=self.password)
        return spnego.CredentialCache(username=self.principal)
