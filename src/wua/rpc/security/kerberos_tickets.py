"""One session's Kerberos tickets, fetched once, before any connection needs them.

A session opens several connections (TCP 135, then a pool on the exporter port), each
with its own security context. Given a password, pyspnego would ask the KDC for a TGT
and a service ticket for every one of them (and keep each in a MEMORY cache until the
process ends); with tickets from the user's cache it still asks for the service ticket
once. Both are network round trips made inside `step()`, which the connections call on
the event loop, so one slow KDC would stall every host of a fleet scan.

`SessionTickets.acquire` does that work once, in a worker thread: with a password, a TGT
into a MEMORY cache of the session's own; then the service ticket for host/<target>,
stored by MIT in that cache (or in the user's). Afterwards every context of the session
finds both in the cache and `step()` is local work only. `close` destroys the session's
MEMORY cache, so the TGT does not outlive the session.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_errors import KERBEROS_ERRORS, kerberos_failure


class SessionTickets:
    """The tickets of one session to one host; `credentials` is what its contexts use."""

    def __init__(self, credentials: KerberosCredentials, target_host: str) -> None:
        self._given = credentials
        self.target_host = target_host
        self.credentials = credentials
        self._context: Any = None
        self._cache: Any = None

    def acquire(self) -> None:
        """Blocking (KDC round trips): call it in a worker thread. A failure is the same
        AuthenticationFailed a context's first step would give (`kerberos_failure`)."""
        try:
            if self._given.password is not None and self._given.principal is not None:
                self._kinit(self._given.principal, self._given.password)
            self._fetch_service_ticket()
        except KERBEROS_ERRORS as exc:
            raise kerberos_failure(f"host/{self.target_host}", exc) from exc

    def _kinit(self, principal: str, password: str) -> None:
        import krb5

        context = krb5.init_context()
        client = krb5.parse_name_flags(context, principal.encode())
        options = krb5.get_init_creds_opt_alloc(context)
        krb5.get_init_creds_opt_set_canonicalize(options, True)
        tgt = krb5.get_init_creds_password(context, client, options, password=password.encode())
        cache = krb5.cc_new_unique(context, b"MEMORY")
        krb5.cc_initialize(context, cache, tgt.client)
        krb5.cc_store_cred(context, cache, tgt)
        self._context, self._cache = context, cache
        name = (cache.cache_type or b"MEMORY") + b":" + (cache.name or b"")
        self.credentials = replace(self._given, password=None, ccache=name.decode())

    def _fetch_service_ticket(self) -> None:
        """A throwaway initiator context's first step gets the service ticket; MIT keeps
        it in the cache the credentials came from."""
        import gssapi

        store: dict[bytes | str, bytes | str] | None = None
        if self.credentials.ccache:
            store = {"ccache": self.credentials.ccache}
        principal = self.credentials.principal
        name = None if principal is None else gssapi.Name(principal, gssapi.NameType.user)
        kerberos = [gssapi.MechType.kerberos]
        creds = gssapi.Credentials(name=name, mechs=kerberos, usage="initiate", store=store)
        service = gssapi.Name(f"host@{self.target_host}", gssapi.NameType.hostbased_service)
        gssapi.SecurityContext(name=service, creds=creds, usage="initiate").step()

    def close(self) -> None:
        if self._cache is not None:
            import krb5

            krb5.cc_destroy(self._context, self._cache)
            self._cache = None
            self.credentials = self._given
