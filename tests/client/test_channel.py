"""RpcChannel (the asyncio driver of the client machine) against our server machine over
real loopback sockets: the Listener runs a ServerConnection per accepted connection."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from wua.errors import HostUnreachable, ProtocolError
from wua.rpc.channel import Endpoint, RpcChannel, RpcFault
from wua.rpc.connection.client import ClientConfig
from wua.rpc.connection.events import CallRequest
from wua.rpc.connection.server import ServerConfig
from wua.rpc.listener import Listener, Peer
from wua.rpc.negotiation import windows_offer
from wua.rpc.presentation import SyntaxId
from wua.rpc.security import (
    Account,
    AuthLevel,
    AuthType,
    Credentials,
    HostIdentity,
    LocalAccounts,
    NtlmAcceptor,
    SecurityContext,
    ntlm_client,
)

IFACE = SyntaxId(uuid.UUID("12345678-1234-abcd-ef00-0123456789ab"), 1, 0)
OTHER = SyntaxId(uuid.UUID("87654321-1234-abcd-ef00-0123456789ab"), 1, 0)
STORE = LocalAccounts([Account.with_password("Administrator", "Passw0rd!")])
Handler = Callable[[CallRequest, Peer], Awaitable[bytes]]


def _acceptor(auth_type: AuthType | int, level: AuthLevel | int) -> SecurityContext:
    return NtlmAcceptor(STORE, AuthLevel(level), host=HostIdentity())


async def _echo(call: CallRequest, peer: Peer) -> bytes:
    """Echo the stub reversed, so an answer cannot be mistaken for the request."""
    if call.opnum == 9:
        raise RpcFault(0x1C010003)
    if call.opnum == 2:
        await asyncio.sleep(float(call.stub.decode()))
    return call.stub[::-1]


@asynccontextmanager
async def _server(handler: Handler = _echo, *, multiplex: bool = True) -> AsyncIterator[int]:
    config = ServerConfig(
        interfaces=(IFACE, OTHER), security_factory=_acceptor, multiplex=multiplex
    )
    listener = Listener(config, handler)
    _, port = await listener.start("127.0.0.1", 0)
    try:
        yield port
    finally:
        await listener.stop()


@asynccontextmanager
async def _channel(
    handler: Handler = _echo,
    *,
    multiplex: bool = True,
    config: ClientConfig | None = None,
    stage: str = "call",
) -> AsyncIterator[RpcChannel]:
    """A channel connected (not yet bound) to a fresh server."""
    async with _server(handler, multiplex=multiplex) as port:
        channel = await RpcChannel.open(
            Endpoint("127.0.0.1", port), timeout=5, config=config, stage=stage
        )
        async with channel:
            yield channel


def _creds(password: str = "Passw0rd!") -> Credentials:
    return Credentials("Administrator", password=password)


async def test_plain_bind_and_call_counts_bytes() -> None:
    async with _server() as port:
        channel = await RpcChannel.open(Endpoint("127.0.0.1", port), timeout=5)
        async with channel:
            accepted = await channel.bind(windows_offer(IFACE))
            assert accepted.accepted == (0,)
            sent_after_bind = channel.bytes_sent
            assert sent_after_bind > 0
            assert await channel.call(0, 1, b"abc") == b"cba"
            assert channel.bytes_sent > sent_after_bind


@pytest.mark.parametrize("level", [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY])
async def test_ntlm_bind_and_protected_calls(level: AuthLevel) -> None:
    async with _channel() as channel:
        await channel.bind(windows_offer(IFACE), security=ntlm_client(_creds(), level))
        assert channel.machine.auth_ready(0)
        big = bytes(range(256)) * 64  # several fragments each way
        assert await channel.call(0, 1, big, object_uuid=uuid.uuid4()) == big[::-1]
        assert await channel.call(0, 1, b"x") == b"x"


async def test_alter_context_with_a_second_auth_context() -> None:
    async with _channel() as channel:
        await channel.bind(windows_offer(IFACE), security=ntlm_client(_creds()))
        other = windows_offer(OTHER, first_context_id=3)
        answer = await channel.alter_context(
            other, security=ntlm_client(_creds()), auth_context_id=1
        )
        assert 3 in answer.accepted
        assert channel.machine.auth_ready(1)
        assert await channel.call(3, 1, b"12") == b"21"


async def test_fault_raises_rpc_fault_with_status_and_host() -> None:
    async with _channel(stage="exporter port") as channel:
        await channel.bind(windows_offer(IFACE))
        with pytest.raises(RpcFault) as caught:
            await channel.call(0, 9, b"")
        assert caught.value.status == 0x1C010003
        assert caught.value.host == "127.0.0.1" and caught.value.stage == "exporter port"
        assert await channel.call(0, 1, b"ok") == b"ko"  # the channel survives a fault


async def test_multiplexed_calls_answer_out_of_order() -> None:
    async with _server() as port:
        config = ClientConfig(multiplex=True)
        async with await RpcChannel.open(
            Endpoint("127.0.0.1", port), timeout=5, config=config
        ) as channel:
            await channel.bind(windows_offer(IFACE))
            assert channel.machine.multiplexed
            order: list[bytes] = []

            async def call(delay: str) -> None:
                order.append(await channel.call(0, 2, delay.encode()))

            await asyncio.gather(call("0.3"), call("0.0"))
            assert order == [b"0.0", b"3.0"]


async def test_serialised_calls_without_multiplex() -> None:
    async with _channel(multiplex=False, config=ClientConfig(multiplex=True)) as channel:
        await channel.bind(windows_offer(IFACE))
        assert not channel.machine.multiplexed
        answers = await asyncio.gather(*(channel.call(0, 1, bytes([i])) for i in range(5)))
        assert answers == [bytes([i]) for i in range(5)]


async def test_call_timeout_orphans_and_channel_stays_usable() -> None:
    async with _channel() as channel:
        await channel.bind(windows_offer(IFACE))
        with pytest.raises(HostUnreachable) as caught:
            await channel.call(0, 2, b"1.0", timeout=0.1)
        assert "did not answer" in str(caught.value)
        assert channel.machine.outstanding == frozenset()
        assert await channel.call(0, 1, b"after") == b"retfa"


async def test_refused_port_names_stage_and_host() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(HostUnreachable) as caught:
        await RpcChannel.open(Endpoint("127.0.0.1", port), timeout=5, stage="TCP 135")
    assert caught.value.stage == "TCP 135" and caught.value.host == "127.0.0.1"


async def test_connection_lost_fails_pending_call() -> None:
    async def hang_up(call: CallRequest, peer: Peer) -> bytes:
        from wua.rpc.listener import ResetConnection

        raise ResetConnection("bye")

    async with _channel(hang_up) as channel:
        await channel.bind(windows_offer(IFACE))
        with pytest.raises(HostUnreachable):
            await channel.call(0, 1, b"x", timeout=5)
        with pytest.raises(HostUnreachable):  # and every later call, at once
            await channel.call(0, 1, b"x", timeout=5)


async def test_wrong_password_fails_on_first_call() -> None:
    async with _channel() as channel:
        await channel.bind(windows_offer(IFACE), security=ntlm_client(_creds("nope")))
        with pytest.raises(RpcFault) as caught:
            await channel.call(0, 1, b"x", timeout=5)
        assert caught.value.status == 5  # nca_s_fault_access_denied


async def test_unbound_context_is_refused_locally() -> None:
    async with _channel() as channel:
        await channel.bind(windows_offer(IFACE))
        before = channel.bytes_sent
        with pytest.raises(ProtocolError):
            await channel.call(7, 1, b"x")
        assert channel.bytes_sent == before
