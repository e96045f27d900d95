"""NEGOTIATE, CHALLENGE and AUTHENTICATE messages (MS-NLMP 2.2.1) as frozen values.

Decoders refuse anything left over after the last payload, bad signatures and
references outside the message, with a ProtocolError naming the message and offset.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Final

from wua.errors import ProtocolError
from wua.rpc.layout import (
    PAYLOAD,
    U32,
    Layout,
    PayloadRef,
    octets,
    payload,
    payload_end,
    payload_start,
)
from wua.rpc.security.ntlm_avpairs import TargetInfo, decode_target_info
from wua.rpc.security.ntlm_flags import NegotiateFlags

SIGNATURE: Final = b"NTLMSSP\x00"
NEGOTIATE, CHALLENGE, AUTHENTICATE = 1, 2, 3
MIC_SIZE: Final = 16
MIC_OFFSET: Final = 72  # after the 64-byte AUTHENTICATE header and the 8-byte Version

_VERSION = struct.Struct("<BBH3sB")

NEGOTIATE_LAYOUT = Layout(
    "NEGOTIATE_MESSAGE",
    (
        ("signature", octets(8)),
        ("message_type", U32),
        ("flags", U32),
        ("domain", PAYLOAD),
        ("workstation", PAYLOAD),
    ),
    payload_order=("workstation", "domain"),
)
CHALLENGE_LAYOUT = Layout(
    "CHALLENGE_MESSAGE",
    (
        ("signature", octets(8)),
        ("message_type", U32),
        ("target_name", PAYLOAD),
        ("flags", U32),
        ("server_challenge", octets(8)),
        ("reserved", octets(8)),
        ("target_info", PAYLOAD),
    ),
)
AUTHENTICATE_LAYOUT = Layout(
    "AUTHENTICATE_MESSAGE",
    (
        ("signature", octets(8)),
        ("message_type", U32),
        ("lm_response", PAYLOAD),
        ("nt_response", PAYLOAD),
        ("domain", PAYLOAD),
        ("user", PAYLOAD),
        ("workstation", PAYLOAD),
        ("encrypted_session_key", PAYLOAD),
        ("flags", U32),
    ),
    payload_order=(
        "domain",
        "user",
        "workstation",
        "lm_response",
        "nt_response",
        "encrypted_session_key",
    ),
)


@dataclass(frozen=True)
class Version:
    """The VERSION structure (MS-NLMP 2.2.2.10); Windows sends it in every message."""

    major: int
    minor: int
    build: int
    revision: int = 15  # NTLMSSP_REVISION_W2K3

    def encode(self) -> bytes:
        return _VERSION.pack(self.major, self.minor, self.build, b"\x00" * 3, self.revision)

    @classmethod
    def decode(cls, data: bytes) -> Version:
        major, minor, build, _, revision = _VERSION.unpack(data)
        return cls(major, minor, build, revision)


#: What Windows Server 2019 / Windows 10 1809 announce.
WINDOWS_SERVER_2019: Final = Version(10, 0, 17763)


def _check_header(values: dict[str, int | bytes | PayloadRef], layout: Layout, kind: int) -> None:
    if values["signature"] != SIGNATURE:
        raise ProtocolError("signature is not NTLMSSP\\0", structure=layout.structure, offset=0)
    if values["message_type"] != kind:
        raise ProtocolError(
            f"MessageType {values['message_type']!r}, expected {kind}",
            structure=layout.structure,
            offset=8,
        )


def _ref(values: dict[str, int | bytes | PayloadRef], name: str) -> PayloadRef:
    ref = values[name]
    if not isinstance(ref, PayloadRef):  # a mistake in the layout table, not in the data
        raise ProtocolError(f"{name} is not a payload field", structure="layout")
    return ref


def _int(values: dict[str, int | bytes | PayloadRef], name: str) -> int:
    value = values[name]
    if not isinstance(value, int):
        raise ProtocolError(f"{name} is not an integer field", structure="layout")
    return value


def _bytes(values: dict[str, int | bytes | PayloadRef], name: str) -> bytes:
    value = values[name]
    if not isinstance(value, bytes):
        raise ProtocolError(f"{name} is not a byte field", structure="layout")
    return value


def _text(raw: bytes, unicode: bool, structure: str, name: str, offset: int) -> str:
    try:
        return raw.decode("utf-16-le") if unicode else raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            f"{name} is not valid {'UTF-16' if unicode else 'OEM'} text",
            structure=structure,
            offset=offset,
        ) from exc


def _encode_text(value: str, unicode: bool) -> bytes:
    return value.encode("utf-16-le") if unicode else value.encode("ascii")


def _optional_fields(
    data: bytes, layout: Layout, refs: list[PayloadRef], flags: int
) -> tuple[Version | None, int]:
    """The Version between header and payload, and where the payload area starts."""
    start = payload_start(refs, len(data))
    version = None
    if flags & NegotiateFlags.VERSION and start >= layout.size + _VERSION.size:
        version = Version.decode(data[layout.size : layout.size + _VERSION.size])
    end = payload_end(refs, layout.size)
    if end > len(data):
        raise ProtocolError(
            f"a payload field runs {end - len(data)} bytes past the {len(data)}-byte message",
            structure=layout.structure,
            offset=len(data),
        )
    if end < len(data):
        raise ProtocolError(
            f"{len(data) - end} bytes left over after the payload",
            structure=layout.structure,
            offset=end,
        )
    return version, start


@dataclass(frozen=True)
class NegotiateMessage:
    flags: NegotiateFlags
    domain: str = ""
    workstation: str = ""
    version: Version | None = None

    def encode(self) -> bytes:
        flags = self.flags | (NegotiateFlags.VERSION if self.version else 0)
        return NEGOTIATE_LAYOUT.pack_with_payload(
            {"signature": SIGNATURE, "message_type": NEGOTIATE, "flags": int(flags)},
            {
                "domain": self.domain.encode("ascii"),
                "workstation": self.workstation.encode("ascii"),
            },
            self.version.encode() if self.version else b"",
        )

    @classmethod
    def decode(cls, data: bytes) -> NegotiateMessage:
        layout = NEGOTIATE_LAYOUT
        values = layout.unpack(data)
        _check_header(values, layout, NEGOTIATE)
        refs = [_ref(values, "domain"), _ref(values, "workstation")]
        flags = _int(values, "flags")
        version, _ = _optional_fields(data, layout, refs, flags)
        return cls(
            NegotiateFlags(flags),
            _text(payload(data, refs[0]), False, layout.structure, "DomainName", 16),
            _text(payload(data, refs[1]), False, layout.structure, "Workstation", 24),
            version,
        )


@dataclass(frozen=True)
class ChallengeMessage:
    flags: NegotiateFlags
    server_challenge: bytes
    target_name: str = ""
    target_info: TargetInfo = field(default_factory=TargetInfo)
    version: Version | None = None

    def encode(self) -> bytes:
        unicode = bool(self.flags & NegotiateFlags.UNICODE)
        return CHALLENGE_LAYOUT.pack_with_payload(
            {
                "signature": SIGNATURE,
                "message_type": CHALLENGE,
                "flags": int(self.flags),
                "server_challenge": self.server_challenge,
                "reserved": b"\x00" * 8,
            },
            {
                "target_name": _encode_text(self.target_name, unicode),
                "target_info": self.target_info.encode()
                if self.flags & NegotiateFlags.TARGET_INFO
                else b"",
            },
            self.version.encode() if self.version else b"",
        )

    @classmethod
    def decode(cls, data: bytes) -> ChallengeMessage:
        layout = CHALLENGE_LAYOUT
        values = layout.unpack(data)
        _check_header(values, layout, CHALLENGE)
        refs = [_ref(values, "target_name"), _ref(values, "target_info")]
        flags = _int(values, "flags")
        version, _ = _optional_fields(data, layout, refs, flags)
        info = TargetInfo()
        if refs[1].length:
            info = decode_target_info(payload(data, refs[1]), structure="CHALLENGE target info")
        return cls(
            NegotiateFlags(flags),
            _bytes(values, "server_challenge"),
            _text(
                payload(data, refs[0]),
                bool(flags & NegotiateFlags.UNICODE),
                layout.structure,
                "TargetName",
                12,
            ),
            info,
            version,
        )


@dataclass(frozen=True)
class AuthenticateMessage:
    flags: NegotiateFlags
    lm_response: bytes
    nt_response: bytes
    domain: str
    user: str
    workstation: str
    encrypted_session_key: bytes = b""
    version: Version | None = None
    mic: bytes | None = None

    def encode(self) -> bytes:
        unicode = bool(self.flags & NegotiateFlags.UNICODE)
        between = b""
        if self.version is not None or self.mic is not None:
            between = (self.version or Version(0, 0, 0, 0)).encode()
        if self.mic is not None:
            between += self.mic
        return AUTHENTICATE_LAYOUT.pack_with_payload(
            {"signature": SIGNATURE, "message_type": AUTHENTICATE, "flags": int(self.flags)},
            {
                "domain": _encode_text(self.domain, unicode),
                "user": _encode_text(self.user, unicode),
                "workstation": _encode_text(self.workstation, unicode),
                "lm_response": self.lm_response,
                "nt_response": self.nt_response,
                "encrypted_session_key": self.encrypted_session_key,
            },
            between,
        )

    @classmethod
    def decode(cls, data: bytes) -> AuthenticateMessage:
        layout = AUTHENTICATE_LAYOUT
        values = layout.unpack(data)
        _check_header(values, layout, AUTHENTICATE)
        names = (
            "lm_response",
            "nt_response",
            "domain",
            "user",
            "workstation",
            "encrypted_session_key",
        )
        refs = {name: _ref(values, name) for name in names}
        flags = _int(values, "flags")
        version, start = _optional_fields(data, layout, list(refs.values()), flags)
        mic = data[MIC_OFFSET : MIC_OFFSET + MIC_SIZE] if start >= MIC_OFFSET + MIC_SIZE else None
        unicode = bool(flags & NegotiateFlags.UNICODE)
        return cls(
            NegotiateFlags(flags),
            payload(data, refs["lm_response"]),
            payload(data, refs["nt_response"]),
            _text(payload(data, refs["domain"]), unicode, layout.structure, "DomainName", 28),
            _text(payload(data, refs["user"]), unicode, layout.structure, "UserName", 36),
            _text(payload(data, refs["workstation"]), unicode, layout.structure, "Workstation", 44),
            payload(data, refs["encrypted_session_key"]),
            version,
            mic,
        )


def message_type(data: bytes) -> int:
    """The MessageType of an NTLMSSP token, for dispatch before a full decode."""
    if len(data) < 12 or data[:8] != SIGNATURE:
        raise ProtocolError("not an NTLMSSP message", structure="NTLMSSP", offset=0)
    return int.from_bytes(data[8:12], "little")
