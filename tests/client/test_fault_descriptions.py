"""A fault that crosses the wire reads as the fault table describes it: the client's
RpcFault (an error built from the status) carries `describe_fault`'s symbol and
sentence, for every status we produce or expect."""

from __future__ import annotations

from tests.client.test_channel import IFACE, _channel
from wua.rpc.channel import RpcFault
from wua.rpc.connection.events import CallRequest
from wua.rpc.faults import FAULT_STATUSES, describe_fault
from wua.rpc.listener import Peer
from wua.rpc.negotiation import windows_offer

UNKNOWN = 0x1C0100FF  # in the nca_s range, but no code of C706


async def _fault_with_the_stub(call: CallRequest, peer: Peer) -> bytes:
    """Fault with the status the request's stub names (4 bytes, little-endian)."""
    raise RpcFault(int.from_bytes(call.stub, "little"))


async def test_every_fault_status_reads_the_same_on_the_client() -> None:
    async with _channel(_fault_with_the_stub) as channel:
        await channel.bind(windows_offer(IFACE))
        for status in (*FAULT_STATUSES, UNKNOWN):
            expected = describe_fault(status)
            try:
                await channel.call(0, 1, status.to_bytes(4, "little"), timeout=5)
            except RpcFault as fault:
                assert fault.status == status
                assert (fault.symbol, fault.meaning) == (expected.symbol, expected.meaning)
                assert f"({expected.symbol}, 0x{status:08X})" in str(fault)
            else:
                raise AssertionError(f"status 0x{status:08X} did not fault the call")
