"""A hypothesis fuzz harness for decoders: random, truncated and mutated inputs.

The only exception a decoder may let out is `ProtocolError`, naming a structure and an
offset. A decoder that accepts an input must also be able to encode what it returned
(or refuse with ProtocolError). `WUA_NDR_FUZZ_INPUTS` sets inputs per test (default
3000 split over the decoders; run once with 100000+ for a deep check).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wua.errors import ProtocolError
from wua.rpc import ndr

INPUTS = int(os.environ.get("WUA_NDR_FUZZ_INPUTS", "3000"))


@dataclass
class Counter:
    """How many inputs ran, and how many decoded (mutations that stayed valid)."""

    inputs: int = 0
    accepted: int = 0
    reencode_refused: int = 0
    refused: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    name: str
    kind: ndr.NdrType[Any]
    seeds: Sequence[bytes]


def inputs_for(targets: Sequence[Target]) -> st.SearchStrategy[tuple[Target, bytes]]:
    """(target, bytes): random bytes, a truncated seed, or a seed with edits."""

    def for_target(target: Target) -> st.SearchStrategy[tuple[Target, bytes]]:
        seeds = st.sampled_from(list(target.seeds))
        randoms = st.binary(max_size=256)
        truncated = seeds.flatmap(lambda s: st.integers(0, max(len(s) - 1, 0)).map(lambda n: s[:n]))
        edits = st.lists(
            st.tuples(
                st.integers(0, 1 << 16),
                st.sampled_from(["set", "flip", "insert", "delete"]),
                st.integers(0, 255),
            ),
            min_size=1,
            max_size=4,
        )
        mutated = st.tuples(seeds, edits).map(lambda pair: _apply(*pair))
        return st.one_of(randoms, truncated, mutated, mutated).map(lambda b: (target, b))

    return st.sampled_from(list(targets)).flatmap(for_target)


def _apply(seed: bytes, edits: list[tuple[int, str, int]]) -> bytes:
    data = bytearray(seed)
    for where, op, byte in edits:
        if not data:
            data.append(byte)
            continue
        at = where % len(data)
        if op == "set":
            data[at] = byte
        elif op == "flip":
            data[at] ^= 1 << (byte % 8)
        elif op == "insert":
            data.insert(at, byte)
        else:
            del data[at]
    return bytes(data)


def check_one(target: Target, data: bytes, counter: Counter) -> None:
    counter.inputs += 1
    try:
        value = ndr.decode(target.kind, data)
    except ProtocolError as err:
        assert err.structure, f"{target.name}: ProtocolError without a structure: {err}"
        assert isinstance(err.offset, int), f"{target.name}: ProtocolError without an offset: {err}"
        assert 0 <= err.offset <= len(data) + 8, f"{target.name}: offset {err.offset} out of range"
        counter.refused[target.name] = counter.refused.get(target.name, 0) + 1
        return
    counter.accepted += 1
    try:
        ndr.encode(target.kind, value)
    except ProtocolError:
        # Refused cleanly, e.g. a NaN-free check that the decoder let through; counted.
        counter.reencode_refused += 1


def run(targets: Sequence[Target], counter: Counter) -> None:
    """Fuzz `targets` with INPUTS inputs in all."""

    @settings(
        max_examples=INPUTS,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs_for(targets))
    def fuzz(case: tuple[Target, bytes]) -> None:
        check_one(case[0], case[1], counter)

    fuzz()
