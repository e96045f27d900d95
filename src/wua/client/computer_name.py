"""The host's own computer name, for reports that key on the address the user typed.

Why ServerAlive2: ISystemInformation is not available remotely and no remote WUA member
names the computer, but the OXID resolver answers `IObjectExporter::ServerAlive2`
without an account, with the string bindings it listens on: the computer's NetBIOS name
first, then its addresses (MS-DCOM 3.1.2.5.1.6; the emulator answers the same way). It is
one call on a connection of its own, so it runs beside a search and costs no time.
"""

from __future__ import annotations

import ipaddress
import logging

from wua.client.transport import OXID_RESOLVER_CONTEXT, STAGE_RESOLVER, HostAddress
from wua.dcom.bindings import TOWER_NCACN_IP_TCP, DualStringArray
from wua.dcom.interfaces import IOBJECTEXPORTER
from wua.dcom.stubs.exporter import ServerAlive2Request, ServerAlive2Response
from wua.errors import WuaError
from wua.rpc.channel import Endpoint, RpcChannel
from wua.rpc.connection.client import ClientConfig

log = logging.getLogger(__name__)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def computer_name_of(bindings: DualStringArray | None) -> str | None:
    """The first TCP binding that is a name rather than an address; None when the host
    lists only addresses (a host may be configured so)."""
    if bindings is None:
        return None
    for binding in bindings.string_bindings:
        host = binding.host
        if binding.tower_id == TOWER_NCACN_IP_TCP and host and not _is_address(host):
            return host
    return None


async def server_alive(endpoint: Endpoint, *, timeout: float | None) -> ServerAlive2Response:
    """IObjectExporter::ServerAlive2 on the endpoint mapper, without an account (MS-DCOM
    3.1.2.5.1.6): whether RPCSS itself answers, its COM version and string bindings.
    Raises WuaError (HostUnreachable naming the resolver stage, ProtocolError, ...)."""
    channel = await RpcChannel.open(
        endpoint, timeout=timeout, config=ClientConfig(), stage=STAGE_RESOLVER
    )
    async with channel:
        await channel.bind((OXID_RESOLVER_CONTEXT,), timeout=timeout)
        raw = await channel.call(
            OXID_RESOLVER_CONTEXT.context_id,
            IOBJECTEXPORTER.opnum("ServerAlive2"),
            ServerAlive2Request().encode(),
            timeout=timeout,
        )
    return ServerAlive2Response.decode(raw)


async def read_computer_name(address: HostAddress, *, timeout: float | None) -> str | None:
    """The computer name from ServerAlive2 on `address`'s endpoint mapper port.

    None when the host does not answer: the name only labels a report, so a host whose
    search succeeded must not fail for want of it (the reason is logged at debug level).
    """
    try:
        reply = await server_alive(Endpoint(address.host, address.port), timeout=timeout)
    except WuaError as error:
        log.debug("%s: no computer name from ServerAlive2: %s", address.host, error)
        return None
    return computer_name_of(reply.ppdsaOrBindings)
