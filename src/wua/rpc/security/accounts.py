"""Who may log on to an emulated host, by NT hash: the acceptor never sees passwords kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from wua.rpc.security.ntlm_crypto import nt_hash


@dataclass(frozen=True)
class Account:
    """A local account. `domain` None means local to the host (the SAM), as on a workgroup
    machine; a name makes it a domain account the host trusts."""

    user: str
    nt_hash: bytes = field(repr=False)
    domain: str | None = None

    @classmethod
    def with_password(cls, user: str, password: str, domain: str | None = None) -> Account:
        return cls(user, nt_hash(password), domain)


class AccountStore(Protocol):
    def lookup(self, user: str) -> Account | None:
        """The account named `user` (case-insensitively), or None."""
        ...


class LocalAccounts:
    """An in-memory AccountStore built from accounts or a {user: password} mapping."""

    def __init__(self, accounts: Iterable[Account] = ()) -> None:
        self._accounts = {account.user.casefold(): account for account in accounts}

    @classmethod
    def from_passwords(cls, passwords: Mapping[str, str]) -> LocalAccounts:
        return cls(Account.with_password(user, password) for user, password in passwords.items())

    def lookup(self, user: str) -> Account | None:
        return self._accounts.get(user.casefold())
