"""Client credentials: a password or an NT hash, never shown in reprs or messages."""

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

    def for_spnego(self) -> spnego.NTLMHash | spnego.Password:
        """pyspnego's credential object: NTLMHash takes the NT hash as a hex string."""
        if self.nt_hash is not None:
            return spnego.NTLMHash(username=self.principal, nt_hash=self.nt_hash.hex())
        return spnego.Password(username=self.principal, password=self.password or "")
