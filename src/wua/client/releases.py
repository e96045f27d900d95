"""Giving references back when their objects are garbage-collected, in batches.

A finalizer runs wherever the last reference dies — on the user's thread under the
synchronous facade, in the middle of a coroutine, during a GC pass — so it must not
touch the network or the session's tables. It only records (IPID, public refs) in a
deque and wakes the session's loop; the loop then sends *one* RemRelease (batched by the
session) for everything that piled up meanwhile: collecting a list of 100 updates costs
one call, not 100. While the session has calls in flight (a concurrent scan drops
intermediate objects all the time) the references wait for the session to go idle or
for a full batch, so a scan pays a handful of RemRelease calls, not one per update.

One finalizer watches one `ObjectRef` (not the wrapper object), because `cast()` shares
the ref between wrappers: the references go back when the last wrapper is gone.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from wua.errors import WuaError

if TYPE_CHECKING:
    from wua.client.session import ObjectRef

Counts = list[tuple[uuid.UUID, int]]
Sender = Callable[[Counts], Awaitable[None]]
BATCH = 256  # references per RemRelease call (the session splits larger sends)


def _never_busy() -> bool:
    return False


def _collected(queue_ref: weakref.ref[ReleaseQueue], key: int, ipid: uuid.UUID, refs: int) -> None:
    """The finalizer: the queue is held weakly so a dead session is not kept alive."""
    queue = queue_ref()
    if queue is not None:
        queue.collected(key, ipid, refs)


class ReleaseQueue:
    """The references of collected objects, waiting for the session's loop to send them."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        send: Sender,
        *,
        busy: Callable[[], bool] = _never_busy,
        batch: int = BATCH,
    ) -> None:
        self._loop = loop
        self._send = send
        self._busy = busy
        self._batch = batch
        self._pending: deque[tuple[uuid.UUID, int]] = deque()
        self._finalizers: dict[int, weakref.finalize[..., ObjectRef]] = {}
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.last_error: BaseException | None = None
        self.batches = 0

    def watch(self, ref: ObjectRef) -> None:
        """Release `ref`'s public references when it is garbage-collected."""
        key = id(ref)
        finalizer = weakref.finalize(
            ref, _collected, weakref.ref(self), key, ref.ipid, ref.public_refs
        )
        finalizer.atexit = False  # at interpreter exit, the host's collection will do
        self._finalizers[key] = finalizer

    def forget(self, ref: ObjectRef) -> bool:
        """Stop watching `ref` (it is being released explicitly); False if not watched."""
        finalizer = self._finalizers.pop(id(ref), None)
        return finalizer is not None and finalizer.detach() is not None

    def close(self) -> None:
        """The session releases everything itself now: collected objects send nothing."""
        self._closed = True
        for finalizer in self._finalizers.values():
            finalizer.detach()
        self._finalizers.clear()
        self._pending.clear()

    @property
    def watched(self) -> int:
        return len(self._finalizers)

    def collected(self, key: int, ipid: uuid.UUID, refs: int) -> None:
        """Called by a finalizer, on any thread: record, and wake the loop."""
        self._finalizers.pop(key, None)
        if self._closed:
            return
        self._pending.append((ipid, refs))
        try:
            self._loop.call_soon_threadsafe(self._wake)
        except RuntimeError:
            # the loop is closed, so the session is gone with its connections; the host
            # collects the objects after three ping periods without pings
            self._pending.clear()

    def _wake(self, *, force: bool = False) -> None:
        if self._closed or not self._pending:
            return
        if self._task is not None and not self._task.done():
            return  # the running flush takes what is pending now
        if not force and self._busy() and len(self._pending) < self._batch:
            return  # wait for `idle()` or a full batch
        self._task = self._loop.create_task(self._flush())

    def idle(self) -> None:
        """The session has no call in flight: a good moment to send what waits."""
        self._wake()

    async def _flush(self) -> None:
        # call_soon lets every finalizer of the same GC pass append before the first send
        await asyncio.sleep(0)
        while self._pending and not self._closed:
            counts: Counts = []
            while self._pending:
                counts.append(self._pending.popleft())
            try:
                await self._send(counts)
                self.batches += 1
            except (WuaError, OSError) as exc:
                # a release that failed is not retried: the host collects unpinged objects
                self.last_error = exc

    async def drain(self, *, send_pending: bool = False) -> None:
        """Wait for a send in progress (before the session closes its connections); with
        `send_pending`, send what waits first, busy or not."""
        if send_pending:
            self._wake(force=True)
        task = self._task
        if task is not None and not task.done():
            await task
