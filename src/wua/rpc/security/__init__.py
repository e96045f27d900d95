"""Security providers for DCE/RPC: NTLM, Negotiate and Kerberos clients (pyspnego), our
NTLM, SPNEGO and keytab Kerberos acceptors."""

from wua.rpc.security.accounts import Account, AccountStore, LocalAccounts
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext
from wua.rpc.security.credentials import Credentials, KerberosCredentials
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab
from wua.rpc.security.kerberos_tickets import KerberosLogin, SessionTickets
from wua.rpc.security.ntlm_acceptor import HostIdentity, LogonIdentity, NtlmAcceptor
from wua.rpc.security.spnego_acceptor import SpnegoAcceptor
from wua.rpc.security.spnego_client import (
    SpnegoClientContext,
    kerberos_client,
    negotiate_client,
    ntlm_client,
)

__all__ = [
    "Account",
    "AccountStore",
    "AuthLevel",
    "AuthType",
    "Credentials",
    "HostIdentity",
    "KerberosAcceptor",
    "KerberosCredentials",
    "KerberosKeytab",
    "KerberosLogin",
    "LocalAccounts",
    "LogonIdentity",
    "NtlmAcceptor",
    "SecurityContext",
    "SessionTickets",
    "SpnegoAcceptor",
    "SpnegoClientContext",
    "kerberos_client",
    "negotiate_client",
    "ntlm_client",
]
