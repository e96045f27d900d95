"""Fuzz the generic NDR decoders (see fuzzing.py); seeds are valid encodings."""

from __future__ import annotations

import uuid

import pytest

from tests.ndr import test_golden_activation as golden
from tests.ndr import test_properties as props
from tests.ndr import test_vectors as vectors
from tests.ndr.fuzzing import INPUTS, Counter, Target, run
from wua.rpc import ndr

TARGETS = [
    Target(name, kind, [bytes.fromhex(hexdata)]) for name, kind, _, hexdata in vectors.VECTORS
] + [
    Target(
        "Call",
        props.Call,
        [
            ndr.encode(
                props.Call,
                props.Call(
                    n=1,
                    t=props.Tree(
                        tag=1,
                        id=uuid.UUID(int=5),
                        left=props.Leaf(a=1, b=2, s="x"),
                        right=None,
                        u=ndr.UnionValue(2, 7),
                        fixed=[1, 2, 3],
                        vary=[4],
                        leaves=[None, props.Leaf(a=3, b=4, s=None)],
                    ),
                    o=None,
                    h=9,
                ),
            )
        ],
    ),
    Target("CustomHeader", golden.CustomHeader, [golden.BLOBS[0][16:]]),
    Target("PropsOutInfo", golden.PropsOutInfo, [golden.BLOBS[1][16:]]),
    Target("ScmReplyInfoData", golden.ScmReplyInfoData, [golden.BLOBS[2][16:]]),
]


@pytest.mark.slow
def test_only_protocol_errors_escape_ndr_decoders(record_property: pytest.RecordProperty) -> None:
    counter = Counter()
    run(TARGETS, counter)
    record_property("fuzz_inputs", counter.inputs)
    print(f"\nndr fuzz: {counter.inputs} inputs, {counter.accepted} accepted")
    assert counter.inputs >= min(INPUTS, 100)


@pytest.mark.parametrize(
    "blob", golden.BLOBS, ids=["CustomHeader", "PropsOutInfo", "ScmReplyInfoData"]
)
def test_serialized_blob_truncations_are_refused(blob: bytes) -> None:
    kind = {
        len(golden.BLOBS[0]): golden.CustomHeader,
        len(golden.BLOBS[1]): golden.PropsOutInfo,
    }.get(len(blob), golden.ScmReplyInfoData)
    for cut in range(len(blob)):
        with pytest.raises(
            ndr.ProtocolError if hasattr(ndr, "ProtocolError") else Exception
        ) as info:
            ndr.deserialize(kind, blob[:cut])
        assert info.value.__class__.__name__ == "ProtocolError"
