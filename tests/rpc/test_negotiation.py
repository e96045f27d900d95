"""Presentation-context negotiation rules (Windows' answers, C706 versioning)."""

from __future__ import annotations

from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from tests.rpc.strategies import syntaxes
from wua.rpc.constants import BindTimeFeatures, ProviderReason, ResultCode
from wua.rpc.negotiation import interface_matches, negotiate, windows_offer
from wua.rpc.presentation import (
    NDR32,
    NDR64,
    NULL_SYNTAX,
    ContextElement,
    SyntaxId,
    btfn_features,
    btfn_syntax,
)

IFACE = SyntaxId(UUID("4cb43d7f-7eee-4906-8698-60da1c38f2fe"), 1, 2)


def test_interface_versions() -> None:
    assert interface_matches(SyntaxId(IFACE.uuid, 1, 0), IFACE)
    assert interface_matches(SyntaxId(IFACE.uuid, 1, 2), IFACE)
    assert not interface_matches(SyntaxId(IFACE.uuid, 1, 3), IFACE)  # newer minor
    assert not interface_matches(SyntaxId(IFACE.uuid, 2, 0), IFACE)  # other major
    assert not interface_matches(SyntaxId(UUID(int=1), 1, 0), IFACE)


def test_first_supported_transfer_syntax_of_a_context_wins() -> None:
    (result,) = negotiate((ContextElement(0, IFACE, (NDR64, NDR32)),), (IFACE,)).results
    assert (result.result, result.transfer_syntax) == (ResultCode.ACCEPTANCE, NDR32)


def test_btfn_acknowledges_only_supported_features() -> None:
    offered = (
        BindTimeFeatures.SECURITY_CONTEXT_MULTIPLEXING | BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN
    )
    answer = negotiate(
        (ContextElement(5, IFACE, (btfn_syntax(offered),)),),
        (IFACE,),
        features=BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN,
    )
    (result,) = answer.results
    assert (result.result, result.features, result.transfer_syntax) == (
        ResultCode.NEGOTIATE_ACK,
        BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN,
        NULL_SYNTAX,
    )
    assert answer.accepted == () and answer.features == BindTimeFeatures.KEEP_CONNECTION_ON_ORPHAN


@given(st.integers(0, 3))
def test_btfn_syntax_round_trip(bits: int) -> None:
    syntax = btfn_syntax(BindTimeFeatures(bits))
    assert str(syntax.uuid).startswith("6cb71c2c-9812-4540-")
    assert btfn_features(syntax) == BindTimeFeatures(bits)


def test_windows_offer_matches_the_capture_shape() -> None:
    offer = windows_offer(IFACE)
    assert [(c.context_id, c.transfer_syntaxes) for c in offer] == [
        (0, (NDR32,)),
        (1, (NDR64,)),
        (2, (btfn_syntax(BindTimeFeatures(3)),)),
    ]


@given(
    st.lists(
        st.builds(
            ContextElement,
            st.integers(0, 0xFFFF),
            st.sampled_from([IFACE]) | syntaxes,
            st.lists(st.sampled_from([NDR32, NDR64]) | syntaxes, min_size=1, max_size=3).map(tuple),
        ),
        max_size=6,
    )
)
def test_every_context_gets_one_answer_by_the_rules(elements: list[ContextElement]) -> None:
    answer = negotiate(tuple(elements), (IFACE,))
    assert len(answer.results) == len(elements)
    accepted = iter(answer.accepted)
    for element, result in zip(elements, answer.results, strict=True):
        if any(btfn_features(s) is not None for s in element.transfer_syntaxes):
            assert result.result == ResultCode.NEGOTIATE_ACK
        elif not interface_matches(element.abstract_syntax, IFACE):
            assert (result.result, result.reason) == (
                ResultCode.PROVIDER_REJECTION,
                ProviderReason.ABSTRACT_SYNTAX_NOT_SUPPORTED,
            )
        elif NDR32 not in element.transfer_syntaxes:
            assert (result.result, result.reason, result.transfer_syntax) == (
                ResultCode.PROVIDER_REJECTION,
                ProviderReason.PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                NULL_SYNTAX,
            )
        else:
            assert (result.result, result.transfer_syntax) == (ResultCode.ACCEPTANCE, NDR32)
            assert next(accepted).context_id == element.context_id
    assert next(accepted, None) is None
