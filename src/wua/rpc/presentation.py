"""Presentation contexts: syntax IDs, the context list of bind / alter_context and the
result list of bind_ack / alter_context_resp (C706 12.6.3.1, MS-RPCE 2.2.2.14).

Bind-time feature negotiation (BTFN) is not a real transfer syntax: the client offers a
UUID whose first 8 bytes are fixed and whose last 8 carry its feature flags, and the server
answers with result NEGOTIATE_ACK and the flags it supports in the `reason` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from wua.errors import ProtocolError
from wua.rpc.constants import BindTimeFeatures, ProviderReason, ResultCode, as_enum
from wua.rpc.layout import U8, U16, UUID16, Layout


@dataclass(frozen=True)
class SyntaxId:
    """An interface or transfer syntax: UUID and version (major.minor, 16 bits each)."""

    uuid: UUID
    version: int = 0
    minor: int = 0

    def __str__(self) -> str:
        return f"{self.uuid} v{self.version}.{self.minor}"


NDR32 = SyntaxId(UUID("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2)
NDR64 = SyntaxId(UUID("71710533-beba-4937-8319-b5dbef9ccc36"), 1)
NULL_SYNTAX = SyntaxId(UUID(int=0), 0)

_BTFN_PREFIX = UUID("6cb71c2c-9812-4540-0000-000000000000").bytes_le[:8]


def btfn_syntax(features: BindTimeFeatures) -> SyntaxId:
    """The transfer syntax a client offers to negotiate `features` (version 1)."""
    return SyntaxId(UUID(bytes_le=_BTFN_PREFIX + int(features).to_bytes(8, "little")), 1)


def btfn_features(syntax: SyntaxId) -> BindTimeFeatures | None:
    """The feature flags of a BTFN transfer syntax, or None if `syntax` is not one."""
    raw = syntax.uuid.bytes_le
    if raw[:8] != _BTFN_PREFIX:
        return None
    return BindTimeFeatures(int.from_bytes(raw[8:], "little") & 0xFFFF)


@dataclass(frozen=True)
class ContextElement:
    """p_cont_elem_t: one presentation context proposed by the client."""

    context_id: int
    abstract_syntax: SyntaxId
    transfer_syntaxes: tuple[SyntaxId, ...]


@dataclass(frozen=True)
class ContextResult:
    """p_result_t: the server's answer to one context, in the order proposed.

    For NEGOTIATE_ACK `reason` holds the acknowledged BindTimeFeatures.
    """

    result: ResultCode | int
    reason: ProviderReason | int = ProviderReason.REASON_NOT_SPECIFIED
    transfer_syntax: SyntaxId = NULL_SYNTAX

    @property
    def accepted(self) -> bool:
        return self.result == ResultCode.ACCEPTANCE

    @property
    def features(self) -> BindTimeFeatures | None:
        if self.result != ResultCode.NEGOTIATE_ACK:
            return None
        return BindTimeFeatures(self.reason)


LIST_HEADER = Layout("p_cont_list_t", (("count", U8), ("reserved", U8), ("reserved2", U16)))
ELEMENT_HEAD = Layout(
    "p_cont_elem_t",
    (
        ("context_id", U16),
        ("n_transfer_syn", U8),
        ("reserved", U8),
        ("uuid", UUID16),
        ("version", U16),
        ("minor", U16),
    ),
)
SYNTAX = Layout("p_syntax_id_t", (("uuid", UUID16), ("version", U16), ("minor", U16)))
RESULT = Layout(
    "p_result_t",
    (("result", U16), ("reason", U16), ("uuid", UUID16), ("version", U16), ("minor", U16)),
)


def _syntax(values: dict[str, object]) -> SyntaxId:
    return SyntaxId(values["uuid"], values["version"], values["minor"])  # type: ignore[arg-type]


def _syntax_fields(syntax: SyntaxId) -> dict[str, object]:
    return {"uuid": syntax.uuid, "version": syntax.version, "minor": syntax.minor}


def encode_context_list(elements: tuple[ContextElement, ...], little: bool = True) -> bytes:
    out = [LIST_HEADER.pack({"count": len(elements), "reserved": 0, "reserved2": 0}, little)]
    for element in elements:
        out.append(
            ELEMENT_HEAD.pack(
                {
                    "context_id": element.context_id,
                    "n_transfer_syn": len(element.transfer_syntaxes),
                    "reserved": 0,
                    **_syntax_fields(element.abstract_syntax),
                },
                little,
            )
        )
        out.extend(SYNTAX.pack(_syntax_fields(s), little) for s in element.transfer_syntaxes)
    return b"".join(out)


def decode_context_list(
    data: bytes, offset: int, little: bool = True
) -> tuple[tuple[ContextElement, ...], int]:
    """The context list at `offset` and the offset just after it."""
    head = LIST_HEADER.unpack(data, offset, little)
    offset += LIST_HEADER.size
    elements = []
    for _ in range(head["count"]):
        values = ELEMENT_HEAD.unpack(data, offset, little)
        if values["n_transfer_syn"] == 0:
            raise ProtocolError(
                "a context offers no transfer syntax", structure="p_cont_elem_t", offset=offset
            )
        offset += ELEMENT_HEAD.size
        syntaxes = []
        for _ in range(values["n_transfer_syn"]):
            syntaxes.append(_syntax(SYNTAX.unpack(data, offset, little)))
            offset += SYNTAX.size
        elements.append(ContextElement(values["context_id"], _syntax(values), tuple(syntaxes)))
    return tuple(elements), offset


def encode_result_list(results: tuple[ContextResult, ...], little: bool = True) -> bytes:
    out = [LIST_HEADER.pack({"count": len(results), "reserved": 0, "reserved2": 0}, little)]
    for result in results:
        out.append(
            RESULT.pack(
                {
                    "result": int(result.result),
                    "reason": int(result.reason),
                    **_syntax_fields(result.transfer_syntax),
                },
                little,
            )
        )
    return b"".join(out)


def decode_result_list(
    data: bytes, offset: int, little: bool = True
) -> tuple[tuple[ContextResult, ...], int]:
    head = LIST_HEADER.unpack(data, offset, little)
    offset += LIST_HEADER.size
    results = []
    for _ in range(head["count"]):
        values = RESULT.unpack(data, offset, little)
        code = as_enum(ResultCode, values["result"])
        reason: ProviderReason | int = values["reason"]
        if code != ResultCode.NEGOTIATE_ACK:
            reason = as_enum(ProviderReason, values["reason"])
        results.append(ContextResult(code, reason, _syntax(values)))
        offset += RESULT.size
    return tuple(results), offset
