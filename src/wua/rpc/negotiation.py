"""Presentation-context negotiation, as a Windows server answers a bind or alter_context.

Seen in Zeek's dce_rpc_ntlm capture (a Windows 10 client binding to IRemUnknown2): NDR32
is accepted, NDR64 offered alongside is refused with "proposed transfer syntaxes not
supported" and a null syntax, and the bind-time feature negotiation context is answered
with NEGOTIATE_ACK carrying the features both sides support. An interface the server does
not export is refused with "abstract syntax not supported".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from wua.rpc.constants import BindTimeFeatures, ProviderReason, ResultCode
from wua.rpc.presentation import (
    NDR32,
    NDR64,
    NULL_SYNTAX,
    ContextElement,
    ContextResult,
    SyntaxId,
    btfn_features,
    btfn_syntax,
)

WINDOWS_FEATURES = (
    BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN
)


@dataclass(frozen=True)
class AcceptedContext:
    context_id: int
    abstract_syntax: SyntaxId
    transfer_syntax: SyntaxId


@dataclass(frozen=True)
class Negotiated:
    """The result list to send, the contexts it accepts and the features acknowledged."""

    results: tuple[ContextResult, ...]
    accepted: tuple[AcceptedContext, ...]
    features: BindTimeFeatures | None


def interface_matches(offered: SyntaxId, exported: SyntaxId) -> bool:
    """C706 12.6.3.3 versioning: same UUID and major version, client minor not newer."""
    return (
        offered.uuid == exported.uuid
        and offered.version == exported.version
        and offered.minor <= exported.minor
    )


def negotiate(
    elements: tuple[ContextElement, ...],
    interfaces: Collection[SyntaxId],
    transfer_syntaxes: Collection[SyntaxId] = (NDR32,),
    features: BindTimeFeatures = WINDOWS_FEATURES,
) -> Negotiated:
    """Answer each proposed context in order, as Windows does."""
    results: list[ContextResult] = []
    accepted: list[AcceptedContext] = []
    acknowledged: BindTimeFeatures | None = None
    for element in elements:
        offered = [btfn_features(s) for s in element.transfer_syntaxes]
        wanted = next((f for f in offered if f is not None), None)
        if wanted is not None:
            acknowledged = wanted & features
            results.append(ContextResult(ResultCode.NEGOTIATE_ACK, int(acknowledged)))
            continue
        if not any(interface_matches(element.abstract_syntax, i) for i in interfaces):
            results.append(
                ContextResult(
                    ResultCode.PROVIDER_REJECTION, ProviderReason.ABSTRACT_SYNTAX_NOT_SUPPORTED
                )
            )
            continue
        chosen = next((s for s in element.transfer_syntaxes if s in transfer_syntaxes), None)
        if chosen is None:
            results.append(
                ContextResult(
                    ResultCode.PROVIDER_REJECTION,
                    ProviderReason.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                    NULL_SYNTAX,
                )
            )
            continue
        results.append(
            ContextResult(ResultCode.ACCEPTANCE, ProviderReason.REASON_NOT_SPECIFIED, chosen)
        )
        accepted.append(AcceptedContext(element.context_id, element.abstract_syntax, chosen))
    return Negotiated(tuple(results), tuple(accepted), acknowledged)


def windows_offer(
    interface: SyntaxId,
    first_context_id: int = 0,
    *,
    ndr64: bool = True,
    features: BindTimeFeatures | None = WINDOWS_FEATURES,
) -> tuple[ContextElement, ...]:
    """The contexts a Windows client proposes for one interface: NDR32, NDR64, BTFN."""
    syntaxes: list[SyntaxId] = [NDR32]
    if ndr64:
        syntaxes.append(NDR64)
    if features is not None:
        syntaxes.append(btfn_syntax(features))
    return tuple(
        ContextElement(first_context_id + i, interface, (s,)) for i, s in enumerate(syntaxes)
    )
