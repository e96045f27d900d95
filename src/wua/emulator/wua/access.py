"""Who may use the emulated host's WUA remotely: administrators, with UAC's exception.

Authentication (NTLM) says who the caller is; this says whether WUA lets them in, the
way a Windows host decides it: a non-administrator is refused (E_ACCESSDENIED); so is a
*local* administrator other than the built-in one while UAC remote restrictions apply
(LocalAccountTokenFilterPolicy = 0), because a network logon gives such an account a
filtered token without its admin rights. The built-in Administrator (RID 500) and domain
administrators are not filtered. The errors say which case applies, since the fix
differs (use another account, or set the policy).
"""

from __future__ import annotations

from wua.emulator.catalog import Account
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.hresults import E_ACCESSDENIED


def account_for(state: HostState, user: str) -> Account | None:
    wanted = user.casefold()
    return next((a for a in state.catalog.accounts if a.name.casefold() == wanted), None)


def check_remote_caller(state: HostState, user: str) -> Account:
    """The caller's account if it may use WUA remotely; AccessDenied otherwise."""
    account = account_for(state, user)
    if account is None:
        raise error_for(E_ACCESSDENIED, f"{user!r} has no account on this host")
    if not account.is_admin:
        raise error_for(E_ACCESSDENIED, f"{account.name!r} is not an administrator of the host")
    filtered = account.domain is None and not account.builtin_admin
    if filtered and state.behaviour.uac_remote_restrictions:
        raise error_for(
            E_ACCESSDENIED,
            f"{account.name!r} is a local administrator, but UAC remote restrictions "
            "(LocalAccountTokenFilterPolicy = 0) strip admin rights from its network logon; "
            "use the built-in Administrator or a domain account, or set "
            "LocalAccountTokenFilterPolicy = 1",
        )
    return account
