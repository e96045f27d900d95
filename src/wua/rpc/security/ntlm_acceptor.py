"""Our own NTLM acceptor: answers NEGOTIATE with a Windows-like CHALLENGE and verifies
AUTHENTICATE against an account store.

Why not pyspnego's acceptor: it rebuilds the client's NTLMv2 blob (appending 4 zero
bytes) before hashing, so valid impacket responses fail, and its CHALLENGE has no Version
field, which some clients require. Here the proof is computed over the raw blob.

Domain rule (decision, documented): a standalone Windows host looks up an account named
with its own computer name, "." or an empty domain in its SAM. Real workgroup Windows is
even laxer (an unknown domain also falls back to the SAM), but an emulated host that
accepted any domain could not show a user their mistake, so we refuse other domains with
their own error unless `accept_any_domain` is set. A domain account (Account.domain set)
matches its domain's NetBIOS or DNS name.
"""

from __future__ import annotations

import hmac
import struct
from collections.abc import Callable
from dataclasses import dataclass

from wua.errors import AuthenticationFailed, ProtocolError
from wua.rpc.security.accounts import Account, AccountStore
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.context_base import ProtectedContext
from wua.rpc.security.ntlm_avpairs import TargetInfo
from wua.rpc.security.ntlm_crypto import (
    exported_session_key,
    message_integrity_code,
    nt_proof,
    ntowf_v2,
    session_base_key,
)
from wua.rpc.security.ntlm_flags import GRANTABLE, AvFlags, AvId, NegotiateFlags
from wua.rpc.security.ntlm_messages import (
    MIC_OFFSET,
    MIC_SIZE,
    WINDOWS_SERVER_2019,
    AuthenticateMessage,
    ChallengeMessage,
    NegotiateMessage,
    Version,
)
from wua.rpc.security.ntlm_session import NtlmSession
from wua.rpc.security.ntlmv2_response import NtlmV2Response
from wua.rpc.security.rpc_protection import RpcProtection
from wua.rpc.security.system_sources import filetime_now, random_bytes

_LOCAL_ALIASES = ("", ".")


@dataclass(frozen=True)
class HostIdentity:
    """The names a host announces in its CHALLENGE target info."""

    computer_name: str = "WUAHOST"
    dns_name: str | None = None
    version: Version = WINDOWS_SERVER_2019

    def target_info(self, timestamp: int) -> TargetInfo:
        dns = self.dns_name or self.computer_name.lower()
        return TargetInfo(
            (
                *TargetInfo.names(
                    nb_domain_name=self.computer_name,
                    nb_computer_name=self.computer_name,
                    dns_domain_name=dns,
                    dns_computer_name=dns,
                ),
                (AvId.TIMESTAMP, struct.pack("<Q", timestamp)),
            )
        )


@dataclass(frozen=True)
class LogonIdentity:
    """Who logged on, for the server's administrator check."""

    user: str
    domain: str
    workstation: str


def _logon_name(user: str, domain: str) -> tuple[str, str]:
    """(account, domain) as Windows reads them: a UPN "user@domain" with an empty
    DomainName names both. The NTLMv2 proof still uses the fields as sent."""
    if not domain and "@" in user:
        account, _, suffix = user.rpartition("@")
        return account, suffix
    return user, domain


class NtlmAcceptor(ProtectedContext):
    """Server side of one auth context (auth_type WINNT)."""

    def __init__(
        self,
        accounts: AccountStore,
        auth_level: AuthLevel = AuthLevel.PKT_PRIVACY,
        *,
        host: HostIdentity | None = None,
        accept_any_domain: bool = False,
        clock: Callable[[], int] = filetime_now,
        entropy: Callable[[int], bytes] = random_bytes,
    ) -> None:
        super().__init__(AuthType.WINNT, auth_level, server=True)
        self._accounts = accounts
        self._host = host or HostIdentity()
        self._accept_any_domain = accept_any_domain
        self._clock = clock
        self._entropy = entropy
        self._negotiate: bytes | None = None
        self._challenge: bytes | None = None
        self._server_challenge = b""
        self._spent = False
        self.logon: LogonIdentity | None = None
        self._session: NtlmSession | None = None

    def step(self, token: bytes | None) -> bytes | None:
        if self.complete:
            raise AuthenticationFailed("the NTLM handshake has already completed")
        if self._spent:
            raise AuthenticationFailed(
                "this NTLM challenge was already answered; start a new context to try again"
            )
        if self._challenge is None:
            return self._answer_negotiate(token or b"")
        self._spent = True  # one answer per challenge: no password guessing on one context
        self._check_authenticate(token or b"")
        return None

    @property
    def challenged(self) -> bool:
        """True once a CHALLENGE went out (the next token must be the AUTHENTICATE)."""
        return self._challenge is not None

    @property
    def session(self) -> NtlmSession | None:
        """The established NTLM session, for a SPNEGO wrapper's mechListMIC."""
        return self._session

    def _answer_negotiate(self, token: bytes) -> bytes:
        try:
            negotiate = NegotiateMessage.decode(token)
        except ProtocolError as exc:
            raise self._malformed("NTLM NEGOTIATE", exc) from exc
        asked = negotiate.flags
        if not asked & NegotiateFlags.UNICODE:
            raise AuthenticationFailed("the client does not offer Unicode (OEM-only NTLM)")
        if not asked & NegotiateFlags.EXTENDED_SESSIONSECURITY:
            raise AuthenticationFailed(
                "the client does not offer extended session security (NTLMv1-style signing)"
            )
        flags = (
            (asked & GRANTABLE)
            | NegotiateFlags.TARGET_INFO
            | NegotiateFlags.TARGET_TYPE_SERVER
            | NegotiateFlags.VERSION
            | (asked & NegotiateFlags.REQUEST_TARGET)
        )
        self._server_challenge = self._entropy(8)
        challenge = ChallengeMessage(
            NegotiateFlags(flags),
            self._server_challenge,
            self._host.computer_name,
            self._host.target_info(self._clock()),
            self._host.version,
        ).encode()
        self._negotiate, self._challenge = token, challenge
        return challenge

    def _check_authenticate(self, token: bytes) -> None:
        try:
            message = AuthenticateMessage.decode(token)
            if len(message.nt_response) <= 24:
                raise AuthenticationFailed(
                    "NTLMv1 or anonymous responses are refused; NTLMv2 is required"
                )
            response = NtlmV2Response.decode(message.nt_response)
        except ProtocolError as exc:
            raise self._malformed("NTLM AUTHENTICATE", exc) from exc
        user, named_domain = _logon_name(message.user, message.domain)
        account = self._accounts.lookup(user)
        if account is None:
            raise AuthenticationFailed(f"unknown user {user!r}")
        domain = self._check_domain(account, named_domain)
        key = ntowf_v2(account.nt_hash, message.user, message.domain)
        proof = nt_proof(key, self._server_challenge, response.blob)
        if not hmac.compare_digest(proof, response.proof):
            raise AuthenticationFailed(f"wrong password or NT hash for user {message.user!r}")
        flags = message.flags
        self._check_protection_flags(flags, "the client")
        base = session_base_key(key, proof)
        key_exch = bool(flags & NegotiateFlags.KEY_EXCH)
        if key_exch and len(message.encrypted_session_key) != 16:
            raise AuthenticationFailed(
                f"malformed NTLM AUTHENTICATE: key exchange with a "
                f"{len(message.encrypted_session_key)}-byte EncryptedRandomSessionKey"
            )
        session_key = exported_session_key(base, message.encrypted_session_key, key_exch)
        self._check_mic(token, message, response, session_key)
        self.logon = LogonIdentity(account.user, domain, message.workstation)
        self._session = NtlmSession(session_key, flags, is_client=False)
        self._protection = RpcProtection(self._session, self.auth_type, self.auth_level)

    def _check_domain(self, account: Account, domain: str) -> str:
        """The domain the account belongs to, if `domain` names it (see module docstring)."""
        given = domain.casefold()
        if account.domain is not None:
            names = {account.domain.casefold()}
        else:
            names = {self._host.computer_name.casefold(), *_LOCAL_ALIASES}
            if self._host.dns_name:
                names.add(self._host.dns_name.casefold())
        if given in names or (self._accept_any_domain and account.domain is None):
            return account.domain or self._host.computer_name
        raise AuthenticationFailed(
            f"wrong domain {domain!r} for user {account.user!r}: this host's accounts "
            f"belong to {account.domain or self._host.computer_name!r}"
        )

    def _check_mic(
        self,
        token: bytes,
        message: AuthenticateMessage,
        response: NtlmV2Response,
        session_key: bytes,
    ) -> None:
        av_flags = response.target_info.get(AvId.FLAGS)
        announced = (
            av_flags is not None
            and len(av_flags) == 4
            and bool(int.from_bytes(av_flags, "little") & AvFlags.MIC_PRESENT)
        )
        if not announced:
            return
        if message.mic is None or self._negotiate is None or self._challenge is None:
            raise AuthenticationFailed("the client announces a MIC but sends none")
        zeroed = token[:MIC_OFFSET] + b"\x00" * MIC_SIZE + token[MIC_OFFSET + MIC_SIZE :]
        expected = message_integrity_code(session_key, self._negotiate, self._challenge, zeroed)
        if not hmac.compare_digest(expected, message.mic):
            raise AuthenticationFailed(
                "the AUTHENTICATE message's MIC does not verify", hresult=0x8009030F
            )
