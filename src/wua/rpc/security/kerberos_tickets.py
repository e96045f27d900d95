"""Kerberos tickets fetched once, before any connection needs them.

A session opens several connections (TCP 135, then a pool on the exporter port), each
with its own security context. Given a password, pyspnego would ask the KDC for a TGT
and a service ticket for every one of them (and keep each in a MEMORY cache until the
process ends); with tickets from the user's cache it still asks for the service ticket
once. Both are network round trips made inside `step()`, which the connections call on
the event loop, so one slow KDC would stall every host of a fleet scan.

`KerberosLogin` is one AS exchange: a TGT in a MEMORY cache of its own, destroyed on
`close`. A fleet run shares one among its hosts, since a burst of AS exchanges for one
account from one client is also what password-spraying detectors look for.
`SessionTickets.acquire` does a session's part in a worker thread: a login of its own
when given a password and none is shared, then the service ticket for host/<target>,
which MIT stores in that cache (or in the user's). Afterwards every context of the
session finds both in the cache and `step()` is local work only.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_errors import KERBEROS_ERRORS, kerberos_failure


class KerberosLogin:
    """A TGT for `credentials` (with a password) in a MEMORY cache of its own.

    Sessions of a run acquire it from several worker threads at once: the first does the
    AS exchange, the others wait for it. A refusal is kept and raised again without
    asking the KDC: N hosts must not mean N tries of a wrong password (lockout)."""

    def __init__(self, credentials: KerberosCredentials) -> None:
        if credentials.password is None or credentials.principal is None:
            raise ValueError("a Kerberos login needs a principal and a password")
        self._given = credentials
        self._lock = threading.Lock()
        self._context: Any = None
        self._cache: Any = None
        self._failure: BaseException | None = None
        self.credentials: KerberosCredentials | None = None

    def acquire(self) -> KerberosCredentials:
        """Blocking (one AS exchange): the credentials that use the cache, no password.
        Raises what the Kerberos libraries raise (`SessionTickets` explains it)."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self.credentials is None:
                try:
                    self.credentials = self._kinit()
                except KERBEROS_ERRORS as exc:
                    self._failure = exc
                    raise
            return self.credentials

    def _kinit(self) -> KerberosCredentials:
        import krb5

        principal, password = self._given.principal or "", self._given.password or ""
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
        return replace(self._given, password=None, ccache=name.decode())

    def close(self) -> None:
        with self._lock:
            if self._cache is not None:
                import krb5

                krb5.cc_destroy(self._context, self._cache)
                self._cache = None
            self.credentials = None


class SessionTickets:
    """The tickets of one session to one host; `credentials` is what its contexts use.

    `login`, when given, is shared (a fleet run's) and stays open after this session."""

    def __init__(
        self,
        credentials: KerberosCredentials,
        target_host: str,
        login: KerberosLogin | None = None,
    ) -> None:
        self._given = credentials
        self.target_host = target_host
        self.credentials = credentials
        self._shared = login
        self._own: KerberosLogin | None = None

    def acquire(self) -> None:
        """Blocking (KDC round trips): call it in a worker thread. A failure is the same
        AuthenticationFailed a context's first step would give (`kerberos_failure`)."""
        try:
            login = self._shared
            if login is None and self._given.password is not None and self._given.principal:
                login = self._own = KerberosLogin(self._given)
            if login is not None:
                self.credentials = login.acquire()
            self._fetch_service_ticket()
        except KERBEROS_ERRORS as exc:
            raise kerberos_failure(f"host/{self.target_host}", exc) from exc

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
        """Destroys the session's own login; a shared one is its owner's to close."""
        if self._own is not None:
            self._own.close()
            self._own = None
        self.credentials = self._given
