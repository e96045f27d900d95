"""The object table of a session: the references it holds on the host, and their return.

Every OBJREF the session adopts brings public references the host counts for us; they go
back by RemRelease when the user releases them, when the last wrapper of one is
garbage-collected (in batches, see `releases`), or all at once when the session closes.
An object leaves the ping set when its last reference is given back, so the host may
collect it. No I/O here beyond the one RemRelease sender the session hands in.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from wua.client.ping import Pinger
from wua.client.references import Giveback, HeldReferences
from wua.client.releases import BATCH, Counts, ReleaseQueue
from wua.dcom.stubs.remunknown import RemInterfaceRef

RELEASE_BATCH = BATCH  # IPIDs per RemRelease call
RemRelease = Callable[[list[RemInterfaceRef]], Awaitable[None]]


@dataclass(frozen=True)
class ObjectRef:
    """An interface pointer the session holds: where to call it and what to release."""

    ipid: uuid.UUID
    oid: int
    iid: uuid.UUID
    public_refs: int


class ObjectTable:
    def __init__(self, pinger: Pinger, rem_release: RemRelease) -> None:
        self._pinger = pinger
        self._rem_release = rem_release
        self._held = HeldReferences()
        self.releases: ReleaseQueue | None = None

    def start(self, loop: asyncio.AbstractEventLoop, busy: Callable[[], bool]) -> None:
        """Watch for collected objects from now on; their releases wait while `busy`."""
        self.releases = ReleaseQueue(loop, self.release_counts, busy=busy, batch=RELEASE_BATCH)

    def adopt(self, ref: ObjectRef) -> ObjectRef:
        """Hold a new object's references and keep it alive by pinging it."""
        self.hold(ref)
        self._pinger.add(ref.oid)
        return ref

    def hold(self, ref: ObjectRef) -> ObjectRef:
        """Count `ref`'s references as ours, and give them back when it is collected."""
        self._held.hold(ref.ipid, ref.oid, ref.public_refs)
        if self.releases is not None and ref.public_refs:
            self.releases.watch(ref)
        return ref

    @property
    def total(self) -> int:
        return self._held.total

    async def release(self, refs: list[ObjectRef] | None) -> None:
        """RemRelease the given references (all the session holds when None)."""
        releases = self.releases
        if refs is None:
            if releases is not None:
                releases.close()
            await self._send(self._held.take_all())
            return
        # a ref no longer watched was released already: giving its count back again
        # would take references another wrapper of the same IPID still holds
        mine = [r for r in refs if releases is None or releases.forget(r)]
        await self.release_counts([(r.ipid, r.public_refs) for r in mine])

    async def release_counts(self, counts: Counts) -> None:
        """Give back up to the given references of each IPID (never more than held)."""
        await self._send(self._held.take(counts))

    async def _send(self, giveback: Giveback) -> None:
        """RemRelease calls of up to RELEASE_BATCH IPIDs; objects given back leave the
        ping set."""
        for oid in giveback.unpinged_oids:
            self._pinger.remove(oid)
        chosen = list(giveback.refs)
        for start in range(0, len(chosen), RELEASE_BATCH):
            await self._rem_release(chosen[start : start + RELEASE_BATCH])

    def idle(self) -> None:
        """The session has no call in flight: releases waiting for that may go."""
        if self.releases is not None:
            self.releases.idle()

    async def drain(self, *, send_pending: bool = False) -> None:
        if self.releases is not None:
            await self.releases.drain(send_pending=send_pending)

    def close(self) -> None:
        if self.releases is not None:
            self.releases.close()
