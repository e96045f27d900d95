"""Objects released when garbage-collected: one batched RemRelease, the emulator's table
shrinks, shared refs (casts) and explicit releases are not released twice."""

from __future__ import annotations

import asyncio
import gc
import threading
import uuid
from collections.abc import Iterator

import pytest

import wua
from tests.client.hosts import ADMIN, GOOD, fleet, target
from wua.client.releases import Counts, ReleaseQueue
from wua.client.session import ObjectRef
from wua.emulator.server import FleetThread


@pytest.fixture(scope="module")
def hosts() -> Iterator[FleetThread]:
    with fleet() as running:
        yield running


def _table_size(hosts: FleetThread) -> int:
    return len(hosts.hosts[0].runtime.table)


async def test_collected_objects_go_back_in_one_remrelease(hosts: FleetThread) -> None:
    async with wua.aio.connect(target(hosts, GOOD), *ADMIN) as session:
        searcher = await session.update_session.create_update_searcher()
        result = await searcher.search("IsInstalled=0")
        updates = await result.updates
        titles = [await u.title for u in updates]
        assert len(updates) > 10 and all(titles)
        await session.flush_releases()  # the enumerator of the collection is already gone
        held, size = session.held_references, _table_size(hosts)
        releases = session.calls.by_kind["RemRelease"]
        del updates, result
        gc.collect()
        await session.flush_releases()
        assert session.calls.by_kind["RemRelease"] == releases + 1
        assert session.held_references < held
        assert _table_size(hosts) < size - 10  # the updates and the collections are gone
        assert await searcher.online is True  # what is still referenced still answers


async def test_a_cast_keeps_the_object_and_explicit_release_is_not_repeated(
    hosts: FleetThread,
) -> None:
    async with wua.aio.connect(target(hosts, GOOD), *ADMIN) as session:
        searcher = await session.update_session.create_update_searcher()
        update = (await (await searcher.search("IsInstalled=0")).updates)[0]
        await session.flush_releases()
        as_v1 = update.cast("IUpdate")
        del update
        gc.collect()
        await session.flush_releases()
        assert await as_v1.title  # the shared ref lives while one wrapper does
        calls = session.calls.by_kind["RemRelease"]
        await as_v1.release()
        await as_v1.release()  # the second sends nothing
        del as_v1
        gc.collect()
        await session.flush_releases()
        assert session.calls.by_kind["RemRelease"] == calls + 1


def test_objects_collected_on_the_users_thread_are_released_by_the_loop(hosts: FleetThread) -> None:
    size = _table_size(hosts)
    with wua.connect(target(hosts, GOOD), *ADMIN) as host:
        searcher = host.update_session.create_update_searcher()
        titles = [u.title for u in searcher.search("IsInstalled=0").updates]
        assert titles
        gc.collect()
        host.flush_releases()
        # what is left: the session and the searcher (and its own references)
        assert _table_size(hosts) <= size + 2
        assert host.session.held_references > 0
    assert _table_size(hosts) == size


def _ref() -> ObjectRef:
    return ObjectRef(uuid.uuid4(), 7, uuid.uuid4(), 5)


async def test_queue_batches_finalizers_from_other_threads() -> None:
    sent: list[Counts] = []

    async def send(counts: Counts) -> None:
        sent.append(counts)

    queue = ReleaseQueue(asyncio.get_running_loop(), send)
    refs = [_ref() for _ in range(50)]
    for ref in refs:
        queue.watch(ref)
    ipids = {r.ipid for r in refs}
    kept = refs.pop()
    worker = threading.Thread(target=refs.clear)  # the refs die on another thread
    worker.start()
    worker.join()
    await asyncio.sleep(0)
    await queue.drain()
    assert len(sent) == 1 and len(sent[0]) == 49
    assert {ipid for ipid, _ in sent[0]} == ipids - {kept.ipid}
    assert {refs for _, refs in sent[0]} == {5}
    assert queue.watched == 1 and queue.forget(kept) and not queue.forget(kept)
    del kept
    await asyncio.sleep(0)
    assert len(sent) == 1


async def test_a_closed_queue_sends_nothing_and_keeps_send_errors() -> None:
    sent: list[Counts] = []

    async def failing(counts: Counts) -> None:
        sent.append(counts)
        raise OSError("connection reset")

    queue = ReleaseQueue(asyncio.get_running_loop(), failing)
    one, two = _ref(), _ref()
    queue.watch(one)
    queue.watch(two)
    del one
    await asyncio.sleep(0)
    await queue.drain()
    assert len(sent) == 1 and isinstance(queue.last_error, OSError)
    queue.close()
    del two
    await asyncio.sleep(0)
    await queue.drain()
    assert len(sent) == 1 and queue.watched == 0


async def test_releases_wait_while_calls_are_in_flight_unless_a_batch_is_full() -> None:
    sent: list[Counts] = []

    async def send(counts: Counts) -> None:
        sent.append(counts)

    busy = True
    queue = ReleaseQueue(asyncio.get_running_loop(), send, busy=lambda: busy, batch=4)
    refs = [_ref() for _ in range(7)]
    for ref in refs:
        queue.watch(ref)
    del refs[:3]
    await asyncio.sleep(0)
    await queue.drain()
    assert sent == []  # three wait: the session is busy and the batch is not full
    del refs[:1]
    await asyncio.sleep(0)
    await queue.drain()
    assert [len(batch) for batch in sent] == [4]  # a full batch goes busy or not
    del refs[:2]
    await asyncio.sleep(0)
    assert len(sent) == 1
    busy = False
    queue.idle()
    await queue.drain()
    assert [len(batch) for batch in sent] == [4, 2]
    await queue.drain(send_pending=True)
    assert len(sent) == 2 and queue.watched == 1
