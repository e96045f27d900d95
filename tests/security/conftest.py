from __future__ import annotations

from collections.abc import Callable

import pytest

from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.ntlm_acceptor import HostIdentity, NtlmAcceptor

PASSWORD = "Wu@-s3cret!"


@pytest.fixture
def accounts() -> LocalAccounts:
    return LocalAccounts(
        [
            Account.with_password("Administrator", PASSWORD),
            Account.with_password("svc", "other", domain="CORP"),
        ]
    )


@pytest.fixture
def make_acceptor(accounts: LocalAccounts) -> Callable[..., NtlmAcceptor]:
    def make(level: AuthLevel = AuthLevel.PKT_PRIVACY, **options: object) -> NtlmAcceptor:
        return NtlmAcceptor(
            accounts,
            level,
            host=HostIdentity("WUAHOST", "wuahost.test"),
            clock=lambda: 133_000_000_000_000_000,
            entropy=lambda n: bytes(range(1, n + 1)),
            **options,
        )  # type: ignore[arg-type]

    return make
