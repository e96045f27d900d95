"""What the listener answers when a call's handler fails, and what it logs.

`Listener._run_call` has the one broad `except Exception` of the call path: a handler
bug must fault that call (not kill the connection) and leave a traceback in the log.
"""

from __future__ import annotations

import logging

import pytest

from tests.client.test_channel import IFACE, _channel
from wua.errors import ProtocolError
from wua.rpc.channel import RpcFault
from wua.rpc.connection.events import CallRequest
from wua.rpc.faults import RPC_S_CALL_FAILED, RPC_X_BAD_STUB_DATA
from wua.rpc.listener import Peer
from wua.rpc.negotiation import windows_offer


async def _failing(call: CallRequest, peer: Peer) -> bytes:
    if call.opnum == 1:
        raise ProtocolError("three bytes left over", structure="Example.in", offset=5)
    if call.opnum == 2:
        raise RuntimeError("a bug in the handler")
    return call.stub


async def test_a_handler_bug_faults_the_call_and_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="wua.rpc.listener")
    async with _channel(_failing) as channel:
        await channel.bind(windows_offer(IFACE))
        with pytest.raises(RpcFault) as caught:
            await channel.call(0, 2, b"")
        assert caught.value.status == RPC_S_CALL_FAILED
        assert await channel.call(0, 3, b"still here") == b"still here"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "wua.rpc.listener" and "opnum 2" in errors[0].getMessage()
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is RuntimeError


async def test_bad_stub_data_faults_without_an_error_record(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="wua.rpc.listener")
    async with _channel(_failing) as channel:
        await channel.bind(windows_offer(IFACE))
        with pytest.raises(RpcFault) as caught:
            await channel.call(0, 1, b"")
        assert caught.value.status == RPC_X_BAD_STUB_DATA
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("bad stub data" in r.getMessage() for r in caplog.records)
