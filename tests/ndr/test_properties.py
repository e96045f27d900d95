"""Property tests of the generic NDR constructs on random values."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wua.rpc import ndr

Leaf = ndr.Struct("Leaf", [("a", ndr.u8), ("b", ndr.i64), ("s", ndr.Unique(ndr.WString()))])
Tree = ndr.Struct(
    "Tree",
    [
        ("tag", ndr.u16),
        ("id", ndr.GUID),
        ("left", ndr.Unique(Leaf)),
        ("right", ndr.Unique(Leaf)),
        ("u", ndr.Union("U", {1: ("x", ndr.f64), 2: ("p", ndr.Unique(ndr.u32)), 3: ("n", None)})),
        ("fixed", ndr.FixedArray(ndr.u16, 3)),
        ("vary", ndr.VaryingArray(ndr.i32, 4)),
        ("leaves", ndr.ConformantArray(ndr.Unique(Leaf))),
    ],
)
Call = ndr.Params(
    "Call", [("n", ndr.u8), ("t", ndr.Ref(Tree)), ("o", ndr.Unique(Tree)), ("h", ndr.u64)]
)

texts = st.text(max_size=12)
leaves = st.builds(
    Leaf, a=st.integers(0, 255), b=st.integers(-(1 << 63), (1 << 63) - 1), s=st.none() | texts
)
unions = st.one_of(
    st.floats(allow_nan=False).map(lambda f: ndr.UnionValue(1, f)),
    (st.none() | st.integers(0, (1 << 32) - 1)).map(lambda p: ndr.UnionValue(2, p)),
    st.just(ndr.UnionValue(3)),
)
trees = st.builds(
    Tree,
    tag=st.integers(0, 0xFFFF),
    id=st.uuids(),
    left=st.none() | leaves,
    right=st.none() | leaves,
    u=unions,
    fixed=st.lists(st.integers(0, 0xFFFF), min_size=3, max_size=3),
    vary=st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=4),
    leaves=st.lists(st.none() | leaves, max_size=4),
)
calls = st.builds(
    Call, n=st.integers(0, 255), t=trees, o=st.none() | trees, h=st.integers(0, (1 << 64) - 1)
)


@settings(max_examples=300, deadline=None)
@given(calls)
def test_parameter_lists_round_trip(call: Any) -> None:
    assert ndr.decode(Call, ndr.encode(Call, call)) == call


@settings(max_examples=200, deadline=None)
@given(trees, st.integers(0, 3))
def test_serialized_types_round_trip_and_pad_to_eight(tree: Any, junk: int) -> None:
    data = ndr.serialize(Tree, tree)
    assert len(data) % 8 == 0
    value, end = ndr.deserialize_prefix(Tree, data + bytes(junk))
    assert (value, end) == (tree, len(data))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.uuids(), max_size=5))
def test_guid_arrays_keep_order(ids: list[uuid.UUID]) -> None:
    kind = ndr.ConformantArray(ndr.GUID)
    assert ndr.decode(kind, ndr.encode(kind, ids)) == ids
