"""Fuzzing every MS-DCOM decoder: random, truncated and mutated bytes.

The only exception allowed out of a decoder is ProtocolError, and it must say which
structure and where. Seeds are valid encodings (golden Windows vectors and generated
values), so mutations reach deep into the structures instead of failing at the first
field. WUA_FUZZ_EXAMPLES sets the number of inputs per decoder (default 300; with 42
decoders that is 12,600 inputs, 15-25 s on 2 cores).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dcom.fuzz_targets import TARGETS
from wua.errors import ProtocolError

EXAMPLES = int(os.environ.get("WUA_FUZZ_EXAMPLES", "300"))


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("truncate", "flip", "set", "insert", "delete")))
        at = draw(st.integers(0, len(data)))
        if op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif data and at < len(data):
            if op == "flip":
                data[at] ^= 1 << draw(st.integers(0, 7))
            else:
                data[at] = draw(st.sampled_from((0x00, 0x01, 0x7F, 0x80, 0xFF)))
    return bytes(data)


def inputs(seeds: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=256) | mutated(seeds)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_only_located_protocol_errors_escape(name: str) -> None:
    decode, seeds = TARGETS[name]
    inputs_run = 0
    for seed in seeds:  # the seeds themselves are valid
        decode(seed)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs(seeds))
    def run(data: bytes) -> None:
        nonlocal inputs_run
        inputs_run += 1
        _decode_checked(decode, data)

    run()
    assert inputs_run >= EXAMPLES, f"hypothesis ran only {inputs_run} of {EXAMPLES} inputs"


def _decode_checked(decode: Callable[[bytes], Any], data: bytes) -> None:
    try:
        decode(data)
    except ProtocolError as err:
        assert err.structure, f"no structure named: {err}"
        assert err.offset is not None, f"no offset: {err}"
        assert 0 <= err.offset <= len(data) + 8, f"offset {err.offset} beyond input: {err}"
