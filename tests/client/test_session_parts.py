"""The parts the session was split into, tested at their own seams (no host needed).

Sessions against the emulator test the whole; these pin what each part decides alone,
and that the names callers import from `wua.client.session` still come from there.
"""

from __future__ import annotations

import uuid

import pytest

from wua.client import object_table, session, session_options
from wua.client.activation import Activated, activation_error
from wua.client.exporter_calls import ExporterCalls
from wua.client.object_table import RELEASE_BATCH, ObjectRef, ObjectTable
from wua.client.ping import Pinger, PingUpdate
from wua.client.session_options import CallCounter, SessionOptions
from wua.client.transport import STAGE_ACTIVATION
from wua.dcom.objref import ObjRefStandard, StdObjRef
from wua.dcom.stubs.remunknown import RemInterfaceRef
from wua.errors import AccessDenied, HostUnreachable, ProtocolError
from wua.reference.hresults import E_ACCESSDENIED
from wua.rpc.security.base import AuthLevel


def test_names_stay_importable_from_the_session_module() -> None:
    assert session.ObjectRef is object_table.ObjectRef
    assert session.SessionOptions is session_options.SessionOptions
    assert session.CallCounter is session_options.CallCounter
    assert SessionOptions().pool_size == session.DEFAULT_POOL_SIZE


async def _no_complex_ping(update: PingUpdate) -> int:
    raise AssertionError("no ping in these tests")


async def _no_simple_ping(set_id: int) -> None:
    raise AssertionError("no ping in these tests")


def _table(sent: list[list[RemInterfaceRef]]) -> tuple[ObjectTable, Pinger]:
    async def rem_release(batch: list[RemInterfaceRef]) -> None:
        sent.append(batch)

    pinger = Pinger(_no_complex_ping, _no_simple_ping)
    return ObjectTable(pinger, rem_release), pinger


async def test_releases_go_in_batches_and_never_exceed_what_is_held() -> None:
    sent: list[list[RemInterfaceRef]] = []
    table, _ = _table(sent)
    refs = [ObjectRef(uuid.uuid4(), n, uuid.uuid4(), 5) for n in range(RELEASE_BATCH + 10)]
    for ref in refs:
        table.adopt(ref)
    assert table.total == 5 * len(refs)
    await table.release_counts([(refs[0].ipid, 7)])  # more than held: only the 5 go back
    assert sent == [[RemInterfaceRef(refs[0].ipid, 5)]]
    sent.clear()
    await table.release(None)
    assert [len(batch) for batch in sent] == [RELEASE_BATCH, 9]
    assert table.total == 0


async def test_an_explicit_release_is_not_repeated() -> None:
    sent: list[list[RemInterfaceRef]] = []
    table, _ = _table(sent)
    ref = table.hold(ObjectRef(uuid.uuid4(), 1, uuid.uuid4(), 2))
    await table.release([ref])
    await table.release([ref])
    assert sent == [[RemInterfaceRef(ref.ipid, 2)]]


async def test_exporter_calls_before_opening_fail_and_count_nothing() -> None:
    calls = CallCounter()
    idle: list[bool] = []
    exporter = ExporterCalls("h", SessionOptions(), calls, on_idle=lambda: idle.append(True))
    with pytest.raises(HostUnreachable, match="the session is closed"):
        await exporter.call(uuid.uuid4(), uuid.uuid4(), 3, b"", "Invoke")
    assert calls.total == 0 and not exporter.busy and not exporter.opened and idle == []
    await exporter.close()
    assert exporter.closed and exporter.bytes_sent == 0


def test_a_reply_without_an_exporter_port_is_a_protocol_error() -> None:
    objref = ObjRefStandard(uuid.uuid4(), StdObjRef(0, 1, 2, 3, uuid.uuid4()))
    with pytest.raises(ProtocolError) as caught:
        Activated(objref, uuid.uuid4(), None).exporter_port()
    assert caught.value.structure == "ScmReplyInfoData"
    assert Activated(objref, uuid.uuid4(), 49666).exporter_port() == 49666


@pytest.mark.parametrize("level", list(AuthLevel))
def test_access_denied_names_the_level_only_below_integrity(level: AuthLevel) -> None:
    error = activation_error(E_ACCESSDENIED, "Microsoft.Update.Session", auth_level=level, host="h")
    assert isinstance(error, AccessDenied)
    assert ("KB5004442" in str(error)) == (level < AuthLevel.PKT_INTEGRITY)
    assert "LocalAccountTokenFilterPolicy" in str(error)
    assert error.stage == STAGE_ACTIVATION
