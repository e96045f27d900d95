"""An account's password or NT hash never shows in its repr (logs, tracebacks, reprs of
the catalog that holds it)."""

from __future__ import annotations

import pytest

from wua.emulator.catalog.model import Account

PASSWORD = "S3cret!-do-not-print"
NT_HASH = "0cb6948805f797bf2a82807973b89537"


@pytest.mark.parametrize(
    ("account", "secret"),
    [
        (Account("ops", is_admin=True, password=PASSWORD), PASSWORD),
        (Account("ops", is_admin=True, nt_hash=NT_HASH), NT_HASH),
    ],
)
def test_repr_hides_the_secret(account: Account, secret: str) -> None:
    text = repr(account)
    assert "ops" in text
    assert secret not in text
    assert secret not in repr((account,))


def test_secret_still_compares() -> None:
    assert Account("ops", True, password="a") != Account("ops", True, password="b")
