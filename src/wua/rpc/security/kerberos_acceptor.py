"""The server side of Kerberos for DCE/RPC: DCE-style GSS-API over a keytab.

A Windows host accepts Kerberos with its machine account's keys; the emulator accepts
it with a keytab holding the keys of its service principals (host/<name>). DCE style
(GSS_C_DCE_STYLE, which Windows RPC always requests) makes the exchange three legs:
the client's AP-REQ (bind), our AP-REP (bind_ack), and the client's own AP-REP (auth3 for
auth type 16, alter_context inside Negotiate). Per-message protection is the DCE-style
wrap of `wua.rpc.security.gss_protection`.

Authentication here only proves who the caller is (the KDC vouches for it); whether
that principal may use WUA remotely is decided later, per call, like for NTLM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wua.errors import AuthenticationFailed
from wua.reference.hresults import SEC_E_INVALID_TOKEN
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.gss_messages import GssapiMessages
from wua.rpc.security.gss_protection import GssProtection
from wua.rpc.security.ntlm_acceptor import LogonIdentity

INSTALL_HINT = "Kerberos needs MIT Kerberos and python-gssapi: pip install 'wua[kerberos]'"


class KerberosKeytab:
    """The accepting credentials of one host, read from a keytab file once and shared by
    all its contexts (a keytab may hold several principals: any of them is accepted)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ValueError(f"keytab {self.path} does not exist")
        try:
            import gssapi
            from gssapi.raw.misc import GSSError
        except ImportError as exc:
            raise ValueError(INSTALL_HINT) from exc
        try:
            self.credentials: Any = gssapi.Credentials(
                usage="accept", store={"keytab": str(self.path)}
            )
        except GSSError as exc:
            raise ValueError(f"keytab {self.path} cannot be used: {exc}") from exc

    def __repr__(self) -> str:
        return f"KerberosKeytab({str(self.path)!r})"


class KerberosAcceptor(ProtectedContext):
    """One accepting Kerberos context: raw (auth type 16) or the mechanism inside a
    Negotiate context (then `auth_type` is GSS_NEGOTIATE, the one its PDUs carry)."""

    def __init__(
        self,
        keytab: KerberosKeytab,
        auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
        *,
        auth_type: AuthType = AuthType.GSS_KERBEROS,
    ) -> None:
        super().__init__(auth_type, auth_level, server=True)
        import gssapi
        from gssapi.raw.misc import GSSError

        self._flags = gssapi.RequirementFlag
        self._gss_error = GSSError
        self._context = gssapi.SecurityContext(creds=keytab.credentials, usage="accept")
        self.logon: LogonIdentity | None = None
        self.messages: GssapiMessages | None = None

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the Kerberos handshake has already completed")
        if not token:
            raise AuthenticationFailed("a Kerberos context needs the client's AP-REQ")
        try:
            # python-gssapi's step keeps a failure and re-raises it on the next use of
            # the context (`complete` included), so both stay inside this try.
            out = self._context.step(token)
            complete = self._context.complete
        except self._gss_error as exc:
            raise AuthenticationFailed(
                f"Kerberos refused the client's token: {exc}",
                hresult=SEC_E_INVALID_TOKEN,
            ) from exc
        if complete:
            self._finish()
        return bytes(out) if out else None

    def _finish(self) -> None:
        flags = self._context.actual_flags
        names = self._flags
        if names.dce_style not in flags:
            raise AuthenticationFailed(
                "the client did not ask for DCE-style Kerberos (GSS_C_DCE_STYLE), which "
                "DCE/RPC requires"
            )
        if self.auth_level >= AuthLevel.PKT_INTEGRITY and names.integrity not in flags:
            raise AuthenticationFailed(
                f"the client did not ask for integrity at {self.auth_level.name}"
            )
        if self.auth_level == AuthLevel.PKT_PRIVACY and names.confidentiality not in flags:
            raise AuthenticationFailed("the client did not ask for confidentiality at PKT_PRIVACY")
        user, _, realm = str(self._context.initiator_name).rpartition("@")
        self.logon = LogonIdentity(user or realm, realm if user else "", "")
        self.messages = GssapiMessages(self._context)
        self._protection = GssProtection(self.messages, self.auth_type, self.auth_level)
