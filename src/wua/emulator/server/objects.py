"""The exported-object table of one emulated host: OIDs, IPIDs, references, ping sets.

MS-DCOM 3.1.1.5.6 / 3.2.4.2: an object handed to a client gets an OID, each of its
interfaces an IPID with public references; the client keeps it alive with ping sets
(ComplexPing adds OIDs, SimplePing renews), and the server collects an OID whose set was
not pinged for three ping periods, or that no set ever held for that long, or whose
references were all released (RemRelease). Time is passed in (`now`), never read, so the
rules can be tested without waiting.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Container
from dataclasses import dataclass, field

from wua.dcom.orpc import PINGS_MISSED_BEFORE_COLLECTION

# Windows hands out 5 public references per marshaled interface, so a client can give
# some away without a round trip (MS-DCOM 3.1.1.5.6.1).
PUBLIC_REFS_PER_MARSHAL = 5
MISSED_PINGS = PINGS_MISSED_BEFORE_COLLECTION
OR_INVALID_SET = 0x00000778  # 1912: "the object resolver set specified was not found"
OR_INVALID_OID = 0x00000777  # 1911: "the object specified was not found"


@dataclass
class ExportedInterface:
    """One IPID: an interface of an exported object, and its public reference count."""

    ipid: uuid.UUID
    oid: int
    iid: uuid.UUID
    refs: int = 0


@dataclass
class ExportedObject:
    """One OID: the object, when it was last kept alive, and its interfaces."""

    oid: int
    target: object
    touched: float
    ipids: dict[uuid.UUID, ExportedInterface] = field(default_factory=dict)
    ping_sets: set[int] = field(default_factory=set)


@dataclass
class PingSet:
    set_id: int
    oids: set[int]
    last_ping: float
    sequence: int = 0


def _random_u64() -> int:
    return secrets.randbits(64) or 1


class ObjectTable:
    """Exported objects of one object exporter (OXID), looked up by IPID."""

    def __init__(self, ping_period: float, ids: Callable[[], int] = _random_u64) -> None:
        self.ping_period = ping_period
        self._ids = ids
        self._by_oid: dict[int, ExportedObject] = {}
        self._by_target: dict[int, int] = {}  # id(target) -> OID (the entry keeps target alive)
        self._by_ipid: dict[uuid.UUID, ExportedInterface] = {}
        self._sets: dict[int, PingSet] = {}

    def __len__(self) -> int:
        return len(self._by_oid)

    # --- exporting --------------------------------------------------------------------

    def export(
        self, target: object, iid: uuid.UUID, now: float, refs: int = PUBLIC_REFS_PER_MARSHAL
    ) -> ExportedInterface:
        """The IPID for `iid` of `target` (the same object keeps its OID), with `refs` more."""
        oid = self._by_target.get(id(target))
        entry = self._by_oid.get(oid) if oid is not None else None
        if entry is None:
            oid = self._new_id(self._by_oid)
            entry = ExportedObject(oid, target, now)
            self._by_oid[oid] = entry
            self._by_target[id(target)] = oid
        for exported in entry.ipids.values():
            if exported.iid == iid:
                exported.refs += refs
                return exported
        exported = ExportedInterface(uuid.uuid4(), entry.oid, iid, refs)
        entry.ipids[exported.ipid] = exported
        self._by_ipid[exported.ipid] = exported
        return exported

    def lookup(self, ipid: uuid.UUID) -> tuple[object, ExportedInterface] | None:
        exported = self._by_ipid.get(ipid)
        if exported is None:
            return None
        return self._by_oid[exported.oid].target, exported

    # --- references -------------------------------------------------------------------

    def add_ref(self, ipid: uuid.UUID, refs: int) -> bool:
        exported = self._by_ipid.get(ipid)
        if exported is None:
            return False
        exported.refs += refs
        return True

    def release(self, ipid: uuid.UUID, refs: int) -> bool:
        """RemRelease: drop `refs`; the object goes when none of its IPIDs holds any."""
        exported = self._by_ipid.get(ipid)
        if exported is None:
            return False
        exported.refs = max(0, exported.refs - refs)
        entry = self._by_oid[exported.oid]
        if all(i.refs == 0 for i in entry.ipids.values()):
            self._drop(entry)
        return True

    # --- pinging ----------------------------------------------------------------------

    def complex_ping(
        self, set_id: int, add: list[int], remove: list[int], now: float
    ) -> tuple[int, int]:
        """(set ID, status): set 0 makes a new set; unknown OIDs make OR_INVALID_OID."""
        if set_id == 0:
            set_id = self._new_id(self._sets)
            self._sets[set_id] = PingSet(set_id, set(), now)
        ping_set = self._sets.get(set_id)
        if ping_set is None:
            return set_id, OR_INVALID_SET
        ping_set.last_ping = now
        status = 0
        for oid in remove:
            ping_set.oids.discard(oid)
            entry = self._by_oid.get(oid)
            if entry is not None:
                entry.ping_sets.discard(set_id)
        for oid in add:
            entry = self._by_oid.get(oid)
            if entry is None:
                status = OR_INVALID_OID
                continue
            ping_set.oids.add(oid)
            entry.ping_sets.add(set_id)
            entry.touched = now
        return set_id, status

    def simple_ping(self, set_id: int, now: float) -> int:
        ping_set = self._sets.get(set_id)
        if ping_set is None:
            return OR_INVALID_SET
        ping_set.last_ping = now
        return 0

    def collect(self, now: float) -> int:
        """Drop the sets and objects nobody pinged for three periods; returns objects dropped."""
        limit = now - MISSED_PINGS * self.ping_period
        for ping_set in [s for s in self._sets.values() if s.last_ping < limit]:
            del self._sets[ping_set.set_id]
            for oid in ping_set.oids:
                entry = self._by_oid.get(oid)
                if entry is not None:
                    entry.ping_sets.discard(ping_set.set_id)
                    entry.touched = max(entry.touched, ping_set.last_ping)
        stale = [e for e in self._by_oid.values() if not e.ping_sets and e.touched < limit]
        for entry in stale:
            self._drop(entry)
        return len(stale)

    # --- internals --------------------------------------------------------------------

    def _drop(self, entry: ExportedObject) -> None:
        self._by_oid.pop(entry.oid, None)
        self._by_target.pop(id(entry.target), None)
        for ipid in entry.ipids:
            self._by_ipid.pop(ipid, None)
        for set_id in entry.ping_sets:
            ping_set = self._sets.get(set_id)
            if ping_set is not None:
                ping_set.oids.discard(entry.oid)

    def _new_id(self, taken: Container[int]) -> int:
        while (value := self._ids()) in taken:
            continue
        return value
