"""The server side of Kerberos for DCE/RPC: DCE-style GSS-API over a keytab.

A Windows host accepts Kerberos with its machine account's keys; the emulator accepts
it with a keytab holding the keys of its service principals (host/<name>). DCE style
(GSS_C_DCE_STYLE, which Windows RPC always requests) makes the exchange three legs:
the client's AP-REQ (bind), our AP-REP (bind_ack), and the client's own AP-REP (auth3 for
auth type 16, alter_context inside Negotiate). Per-message protection is the DCE-style
wrap of `wua.rpc.security.gss_protection`.

A DCE-style AP-REQ arrives in two shapes. Windows sends it raw (the bare [APPLICATION 14],
as in Zeek's kerberos135_auth capture); impacket wraps it in the RFC 2743 token framing
(0x60, the Kerberos OID, TOK_ID 01 00) and still sets GSS_C_DCE_STYLE in its 0x8003
checksum. Windows accepts both (impacket's Kerberos DCE/RPC works against Windows
hosts); MIT refuses the framed one with GSS_S_DEFECTIVE_TOKEN ("only DCE_STYLE clients
are allowed to send raw AP-REQs", and the converse). So the first leg is unframed before
MIT sees it: DCE style is still required (by MIT for a raw AP-REQ, and by `_finish`), the
ticket and authenticator are still checked by MIT; only the framing, which carries
nothing secret, is dropped.

Authentication here only proves who the caller is (the KDC vouches for it); whether
that principal may use WUA remotely is decided later, per call, like for NTLM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wua.errors import AuthenticationFailed, ProtocolError
from wua.reference.hresults import SEC_E_INVALID_TOKEN
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.gss_messages import GssapiMessages
from wua.rpc.security.gss_protection import GssProtection
from wua.rpc.security.ntlm_acceptor import LogonIdentity
from wua.rpc.security.spnego_token import GSS_APPLICATION, KRB5_OID, OID

#: RFC 4121 §4.1 TOK_ID of an AP-REQ inside the RFC 2743 InitialContextToken framing.
_AP_REQ_TOK_ID = b"\x01\x00"
#: The raw AP-REQ's own DER tag, [APPLICATION 14].
_AP_REQ_TAG = 0x6E

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
        self._first_leg = True

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the Kerberos handshake has already completed")
        if not token:
            raise AuthenticationFailed("a Kerberos context needs the client's AP-REQ")
        if self._first_leg:
            try:
                token = raw_ap_req(token)
            except ProtocolError as exc:
                raise self._malformed("Kerberos AP-REQ", exc) from exc
            self._first_leg = False
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
        self._protection = GssProtection(
            self.messages, self.auth_type, self.auth_level, header_signing=self.header_signing
        )


def raw_ap_req(token: bytes) -> bytes:
    """The AP-REQ inside an RFC 2743 framed Kerberos token; a raw one as it is.

    Only the exact framing of a Kerberos AP-REQ is removed (definite DER length that
    fills the token, the Kerberos OID, TOK_ID 01 00, then an [APPLICATION 14] element);
    anything else is passed on for MIT to judge."""
    if token[:1] != bytes([GSS_APPLICATION]) or len(token) < 2:
        return token
    structure = "Kerberos InitialContextToken"
    first = token[1]
    count = first & 0x7F if first >= 0x80 else 0
    if first == 0x80 or count > 4 or len(token) < 2 + count:
        raise ProtocolError("bad DER length", structure=structure, offset=1)
    at = 2 + count
    length = int.from_bytes(token[2:at], "big") if count else first
    if at + length != len(token):
        raise ProtocolError("the framing does not fill the token", structure=structure, offset=1)
    mech = bytes([OID, len(KRB5_OID)]) + KRB5_OID
    if token[at : at + len(mech)] != mech:
        return token  # another mechanism's token: MIT names the problem
    at += len(mech)
    if token[at : at + 2] != _AP_REQ_TOK_ID or token[at + 2 : at + 3] != bytes([_AP_REQ_TAG]):
        raise ProtocolError(
            "a Kerberos token in the first leg that is not an AP-REQ",
            structure=structure,
            offset=at,
        )
    return token[at + 2 :]
