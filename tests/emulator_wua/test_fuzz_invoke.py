"""Whatever a remote caller sends, `invoke` answers a value of the declared type or a
`WuaError` carrying an HRESULT — never a Python exception the wire layer cannot encode."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator_wua.reach import reach_all
from wua.emulator.catalog import default_catalog
from wua.emulator.wua import EmulatedObject, HostBehaviour, HostState, conforms, invoke
from wua.emulator.wua.collections import StringCollectionObject
from wua.errors import WuaError
from wua.reference import interface
from wua.reference.interfaces import Member

STATE = HostState(default_catalog(), HostBehaviour())
REACHED = reach_all(STATE)
CALLS: list[tuple[EmulatedObject, str, Member]] = [
    (sample.obj, name, member)
    for name, sample in sorted(REACHED.items())
    for member in interface(name).members
]

arguments = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**33), 2**33),
    st.text(max_size=40),
    st.sampled_from(
        [
            "IsInstalled=0",
            "UpdateID='8b2a630b-944e-567f-af9a-8aa10c44d9af'",
            "ApiMajorVersion",
            "AllowWarningUI",
            "7971f918-a847-4430-9279-4a52d1efe18d",
            "",
        ]
    ),
    st.floats(allow_nan=True),
    st.just(datetime(2026, 1, 1, tzinfo=UTC)),
    st.just(Decimal("1.5")),
    st.just(b"\x00\x01"),
    st.just(StringCollectionObject(["x"], read_only=False)),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(CALLS),
    args=st.lists(arguments, max_size=4),
    arity=st.booleans(),
)
def test_invoke_answers_a_value_or_an_hresult(
    target: tuple[EmulatedObject, str, Member], args: list[object], arity: bool
) -> None:
    obj, name, member = target
    if arity:  # mostly the right number of arguments, so the handlers are reached
        args = (args * 4)[: len(member.params)] if args else [None] * len(member.params)
    try:
        value = invoke(obj, name, member.name, member.kind, args)
    except WuaError as exc:
        assert exc.hresult & 0x80000000, f"{name}.{member.name} failed with a success code"
        return
    assert conforms(member.returns, value), (name, member.name, value)
