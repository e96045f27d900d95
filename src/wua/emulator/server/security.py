"""Who may talk to an emulated host: NTLM or Negotiate with the catalog's accounts, or
Kerberos with the host's keytab, then WUA's rules.

Authentication (a wrong password fails the NTLM handshake, which RPC reports as
access denied on the first call) is separate from authorisation (administrators only,
with UAC's remote restrictions): `caller_of` takes the logon from the call's auth
context and asks `wua.emulator.wua.check_remote_caller`, as Windows asks the token.
A Kerberos principal stands for the catalog account of the same name (its realm for the
account's domain): the KDC proved who it is, the catalog says what it may do.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from wua.emulator.catalog import Catalog
from wua.emulator.wua import HostState, check_remote_caller
from wua.errors import AuthenticationFailed, error_for
from wua.reference.hresults import E_ACCESSDENIED
from wua.rpc.connection.server import SecurityFactory
from wua.rpc.security.accounts import Account, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab
from wua.rpc.security.ntlm_acceptor import HostIdentity, NtlmAcceptor
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor


def account_store(catalog: Catalog) -> LocalAccounts:
    """The catalog's accounts by NT hash (a password given in the catalog is hashed here)."""
    accounts = []
    for account in catalog.accounts:
        if account.nt_hash is not None:
            accounts.append(Account(account.name, bytes.fromhex(account.nt_hash), account.domain))
        elif account.password is not None:
            accounts.append(Account.with_password(account.name, account.password, account.domain))
    return LocalAccounts(accounts)


def acceptor_factory(
    catalog: Catalog,
    computer_name: str,
    auth_types: Collection[AuthType] = (AuthType.WINNT, AuthType.GSS_NEGOTIATE),
    keytab: Path | None = None,
) -> SecurityFactory:
    """A new acceptor per auth context: NTLM (auth type 10), Negotiate (9) and, with a
    keytab, Kerberos (16). Without a keytab the host is a workgroup machine: Windows
    and PowerShell clients bind with Negotiate and usually offer Kerberos first; the
    SPNEGO acceptor then answers with the NTLM mech and asks for the mechListMIC, as the
    Windows host in the Zeek capture does, and raw Kerberos gets bind_nak. With one,
    Negotiate takes the client's Kerberos token. A type left out of `auth_types` gets
    bind_nak. A keytab that cannot be read fails here, when the host starts."""
    store = account_store(catalog)
    identity = HostIdentity(computer_name=computer_name, dns_name=catalog.host.name.lower())
    keys = KerberosKeytab(keytab) if keytab is not None else None

    def make(auth_type: AuthType | int, auth_level: AuthLevel | int) -> SecurityContext:
        if auth_type not in auth_types:
            raise AuthenticationFailed(f"auth type {int(auth_type)} is not offered")
        level = AuthLevel(auth_level)
        if auth_type == AuthType.WINNT:
            return NtlmAcceptor(store, level, host=identity)
        if auth_type == AuthType.GSS_NEGOTIATE:
            return SpnegoAcceptor(store, level, host=identity, keytab=keys)
        if auth_type == AuthType.GSS_KERBEROS and keys is not None:
            return KerberosAcceptor(keys, level)
        raise AuthenticationFailed(f"auth type {int(auth_type)} is not offered")

    return make


@dataclass(frozen=True)
class Caller:
    user: str
    level: AuthLevel


def caller_of(context: SecurityContext | None, state: HostState, minimum: AuthLevel) -> Caller:
    """The authenticated caller if it may use WUA remotely at this level; AccessDenied
    (E_ACCESSDENIED) for an anonymous or too weakly protected call, or a refused account."""
    if (
        not isinstance(context, NtlmAcceptor | SpnegoAcceptor | KerberosAcceptor)
        or context.logon is None
    ):
        raise error_for(E_ACCESSDENIED, "anonymous callers may not use WUA remotely")
    if context.auth_level < minimum:
        raise error_for(
            E_ACCESSDENIED,
            f"authentication level {int(context.auth_level)} is below "
            f"{minimum.name} (DCOM hardening, KB5004442)",
        )
    check_remote_caller(state, context.logon.user)
    return Caller(context.logon.user, AuthLevel(context.auth_level))
