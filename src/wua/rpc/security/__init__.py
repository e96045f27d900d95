"""Security providers for DCE/RPC: NTLM and Negotiate clients, our NTLM acceptor."""

from wua.rpc.security.accounts import Account, AccountStore, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.ntlm_acceptor import HostIdentity, LogonIdentity, NtlmAcceptor
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import SpnegoClientContext, negotiate_client, ntlm_client

__all__ = [
    "Account",
    "AccountStore",
    "AuthLevel",
    "AuthType",
    "Credentials",
    "HostIdentity",
    "LocalAccounts",
    "LogonIdentity",
    "NtlmAcceptor",
    "SecurityContext",
    "SpnegoAcceptor",
    "SpnegoClientContext",
    "negotiate_client",
    "ntlm_client",
]
