"""HeldReferences under any interleaving of holds and releases (hypothesis), against a
plain model: never give back more than held, an OID unpinged with its last IPID."""

from __future__ import annotations

import uuid
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from wua.client.references import HeldReferences

IPIDS = [uuid.UUID(int=i + 1) for i in range(6)]
OID_OF = {ipid: 100 + i // 2 for i, ipid in enumerate(IPIDS)}  # two IPIDs per object

hold = st.tuples(st.just("hold"), st.sampled_from(IPIDS), st.integers(0, 5))
take = st.tuples(
    st.just("take"),
    st.lists(st.tuples(st.sampled_from(IPIDS), st.integers(0, 7)), max_size=4),
    st.none(),
)
take_all = st.tuples(st.just("take_all"), st.none(), st.none())


@given(st.lists(st.one_of(hold, take, take_all), max_size=40))
def test_bookkeeping_matches_a_model(steps: list[tuple[str, object, object]]) -> None:
    table = HeldReferences()
    model: Counter[uuid.UUID] = Counter()
    given_back: Counter[uuid.UUID] = Counter()
    received: Counter[uuid.UUID] = Counter()
    for action, what, refs in steps:
        before = {OID_OF[i] for i, n in model.items() if n}
        if action == "hold":
            assert isinstance(what, uuid.UUID) and isinstance(refs, int)
            table.hold(what, OID_OF[what], refs)
            model[what] += refs
            received[what] += refs
            continue
        if action == "take":
            assert isinstance(what, list)
            out = table.take(what)
        else:
            out = table.take_all()
        assert len({r.ipid for r in out.refs}) == len(out.refs)  # merged per IPID
        for ref in out.refs:
            assert 0 < ref.cPublicRefs <= model[ref.ipid]
            model[ref.ipid] -= ref.cPublicRefs
            given_back[ref.ipid] += ref.cPublicRefs
        after = {OID_OF[i] for i, n in model.items() if n}
        assert set(out.unpinged_oids) == before - after
        if action == "take_all":
            assert table.total == 0 and after == set()
    assert table.total == sum(model.values())
    assert table.oids == {OID_OF[i] for i, n in model.items() if n}
    for ipid in IPIDS:
        assert table.held(ipid) == model[ipid] == received[ipid] - given_back[ipid]


def test_a_hold_of_zero_references_does_not_pin_the_object() -> None:
    table = HeldReferences()
    ipid = IPIDS[0]
    table.hold(ipid, 7, 0)
    table.hold(ipid, 7, 5)
    out = table.take([(ipid, 5)])
    assert out.unpinged_oids == (7,) and table.oids == frozenset()
