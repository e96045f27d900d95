"""The public references a session holds on a host, by IPID, and the OIDs behind them.

Kept apart from the session (no I/O here) because the bookkeeping has to stay right under
any interleaving of new objects, collected ones and explicit releases: a release must
never give back more than was received (the host would drop an object another wrapper
still uses), and an OID leaves the ping set exactly when its last IPID is given back.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from wua.dcom.stubs.remunknown import RemInterfaceRef


@dataclass(frozen=True)
class Giveback:
    """What one release sends (per IPID, merged) and which OIDs stop being pinged."""

    refs: tuple[RemInterfaceRef, ...]
    unpinged_oids: tuple[int, ...]


class HeldReferences:
    """Public references per IPID; IPIDs per OID."""

    def __init__(self) -> None:
        self._refs: Counter[uuid.UUID] = Counter()
        self._oid_of: dict[uuid.UUID, int] = {}
        self._ipids_of: Counter[int] = Counter()

    def hold(self, ipid: uuid.UUID, oid: int, refs: int) -> None:
        """`refs` more public references on `ipid` (of object `oid`) are ours."""
        if refs <= 0:
            return
        if not self._refs[ipid]:
            self._ipids_of[oid] += 1
            self._oid_of[ipid] = oid
        self._refs[ipid] += refs

    def take(self, counts: Iterable[tuple[uuid.UUID, int]]) -> Giveback:
        """Up to the asked references of each IPID (never more than held), merged."""
        wanted: Counter[uuid.UUID] = Counter()
        for ipid, refs in counts:
            wanted[ipid] += refs
        given: list[RemInterfaceRef] = []
        unpinged: list[int] = []
        for ipid, refs in wanted.items():
            taken = min(refs, self._refs.get(ipid, 0))
            if taken <= 0:
                continue
            given.append(RemInterfaceRef(ipid, taken))
            self._refs[ipid] -= taken
            if self._refs[ipid]:
                continue
            del self._refs[ipid]
            oid = self._oid_of.pop(ipid)
            self._ipids_of[oid] -= 1
            if not self._ipids_of[oid]:
                del self._ipids_of[oid]
                unpinged.append(oid)
        return Giveback(tuple(given), tuple(unpinged))

    def take_all(self) -> Giveback:
        return self.take(list(self._refs.items()))

    def held(self, ipid: uuid.UUID) -> int:
        return self._refs.get(ipid, 0)

    @property
    def total(self) -> int:
        return sum(self._refs.values())

    @property
    def oids(self) -> frozenset[int]:
        """Objects with at least one reference held (what the ping set should name)."""
        return frozenset(self._ipids_of)
