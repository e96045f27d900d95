"""Who may use WUA remotely on the emulated host (the default catalog's demo accounts)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wua.emulator.catalog import Account, default_catalog
from wua.emulator.wua import HostBehaviour, HostState, check_remote_caller
from wua.errors import AccessDenied

DOMAIN_ADMIN = Account(name="corp-admin", is_admin=True, password="x", domain="CORP")

# (user, UAC remote restrictions on?) -> allowed, or a fragment of the refusal
CASES = [
    ("Administrator", True, True),
    ("administrator", True, True),
    ("wuadmin", True, "LocalAccountTokenFilterPolicy"),
    ("wuadmin", False, True),
    ("auditor", True, "not an administrator"),
    ("auditor", False, "not an administrator"),
    ("nobody", True, "no account"),
    ("corp-admin", True, True),
]


@pytest.mark.parametrize(("user", "uac", "outcome"), CASES)
def test_remote_callers(user: str, uac: bool, outcome: bool | str) -> None:
    catalog = default_catalog()
    catalog = replace(catalog, accounts=(*catalog.accounts, DOMAIN_ADMIN))
    state = HostState(catalog, HostBehaviour(uac_remote_restrictions=uac))
    if outcome is True:
        assert check_remote_caller(state, user).name.casefold() == user.casefold()
        return
    with pytest.raises(AccessDenied) as caught:
        check_remote_caller(state, user)
    assert caught.value.hresult == 0x80070005
    assert str(outcome) in str(caught.value)
