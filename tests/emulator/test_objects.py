"""The exported-object table without a network: references, ping sets, collection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from wua.emulator.server.objects import OR_INVALID_OID, OR_INVALID_SET, ObjectTable

PERIOD = 10.0
IID_A = uuid.UUID(int=1)
IID_B = uuid.UUID(int=2)


@dataclass(eq=False)
class Thing:
    name: str


def test_one_oid_per_object_one_ipid_per_interface() -> None:
    table = ObjectTable(PERIOD)
    thing = Thing("a")
    first = table.export(thing, IID_A, 0.0)
    again = table.export(thing, IID_A, 0.0)
    other = table.export(thing, IID_B, 0.0)
    assert first.ipid == again.ipid and first.refs == 10
    assert other.oid == first.oid and other.ipid != first.ipid
    assert table.export(Thing("b"), IID_A, 0.0).oid != first.oid


def test_release_of_every_reference_drops_the_object() -> None:
    table = ObjectTable(PERIOD)
    exported = table.export(Thing("a"), IID_A, 0.0, refs=2)
    assert table.release(exported.ipid, 1)
    assert table.lookup(exported.ipid) is not None
    assert table.release(exported.ipid, 1)
    assert table.lookup(exported.ipid) is None
    assert not table.release(exported.ipid, 1)


def test_unpinged_objects_go_after_three_periods_not_before() -> None:
    table = ObjectTable(PERIOD)
    exported = table.export(Thing("a"), IID_A, 0.0)
    assert table.collect(3 * PERIOD - 0.1) == 0
    assert table.collect(3 * PERIOD + 0.1) == 1
    assert table.lookup(exported.ipid) is None


def test_pinged_objects_live_and_die_with_their_set() -> None:
    table = ObjectTable(PERIOD)
    exported = table.export(Thing("a"), IID_A, 0.0)
    set_id, status = table.complex_ping(0, [exported.oid], [], 1.0)
    assert status == 0 and set_id != 0
    for tick in range(1, 20):
        assert table.simple_ping(set_id, tick * PERIOD) == 0
        assert table.collect(tick * PERIOD + 1) == 0
    assert table.lookup(exported.ipid) is not None
    last = 19 * PERIOD
    assert table.collect(last + 3 * PERIOD + 1) == 1
    assert table.simple_ping(set_id, last + 4 * PERIOD) == OR_INVALID_SET


def test_ping_of_unknown_oid_or_set() -> None:
    table = ObjectTable(PERIOD)
    set_id, status = table.complex_ping(0, [12345], [], 0.0)
    assert status == OR_INVALID_OID
    assert table.complex_ping(set_id + 1, [], [], 0.0)[1] == OR_INVALID_SET


def test_removed_oid_is_no_longer_kept_alive() -> None:
    table = ObjectTable(PERIOD)
    exported = table.export(Thing("a"), IID_A, 0.0)
    set_id, _ = table.complex_ping(0, [exported.oid], [], 0.0)
    table.complex_ping(set_id, [], [exported.oid], 0.0)
    table.simple_ping(set_id, 5 * PERIOD)
    assert table.collect(5 * PERIOD) == 1


operations = st.lists(
    st.tuples(
        st.sampled_from(["export", "release", "ping", "tick"]), st.integers(0, 4), st.integers(1, 6)
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(operations)
def test_table_invariants(steps: list[tuple[str, int, int]]) -> None:
    """Whatever happens, a live IPID leads to a live object and a dropped one to none;
    nothing pinged within the last three periods, or holding references while inside
    that window, has been collected."""
    table = ObjectTable(PERIOD)
    things = [Thing(str(i)) for i in range(5)]
    ipids: dict[int, uuid.UUID] = {}
    now = 0.0
    set_id = 0
    for op, index, amount in steps:
        if op == "export":
            ipids[index] = table.export(things[index], IID_A, now).ipid
        elif op == "release" and index in ipids:
            table.release(ipids[index], amount)
        elif op == "ping":
            live = [table.lookup(i) for i in ipids.values()]
            oids = [found[1].oid for found in live if found is not None]
            set_id, _ = table.complex_ping(set_id, oids, [], now)
        elif op == "tick":
            now += amount * PERIOD / 2
            table.collect(now)
        for index, ipid in ipids.items():
            found = table.lookup(ipid)
            if found is not None:
                assert found[0] is things[index]
    assert len(table) <= len(things)
