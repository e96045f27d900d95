"""Negotiate (auth type 9, SPNEGO around NTLM) against the emulated host, end to end:
activation on TCP 135 and sealed calls on the exporter, checked both ways by our client.

impacket cannot take part: its GSS_NEGOTIATE is Kerberos only (it asks a KDC for a
ticket), so NTLM-in-SPNEGO comes from pyspnego (NTLM first, three legs) and from a
Windows-like Kerberos-first client (four legs, mechListMICs, RC4 restart).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator

import pytest

from tests.emulator.kerberos_first_client import (
    ACCEPT_COMPLETED,
    NTLM_MECH,
    REQUEST_MIC,
    KerberosFirstClient,
)
from wua.client.session import AsyncSession, SessionOptions
from wua.client.transport import ACTIVATOR_CONTEXT, HostAddress
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.errors import AccessDenied, AuthenticationFailed
from wua.rpc.constants import BindNakReason
from wua.rpc.pdu import AuthVerifier, Bind, BindAck, BindNak, decode_pdu, encode_pdu
from wua.rpc.security.base import AuthLevel, AuthType, SecurityContext
from wua.rpc.security.credentials import Credentials
from wua.rpc.security.spnego_client import SpnegoClientContext, negotiate_client
from wua.rpc.security.spnego_token import MECH_LIST_MIC, SUPPORTED_MECH

ADDRESS = "127.0.52.1"
NTLM_ONLY = "127.0.52.2"
ADMIN, PASSWORD = "Administrator", "Passw0rd!"
LEVELS = [AuthLevel.PKT_INTEGRITY, AuthLevel.PKT_PRIVACY]


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    catalog = default_catalog()
    ntlm_only = HostConfig(
        NTLM_ONLY, catalog, resolver_port=0, auth_types=frozenset({AuthType.WINNT})
    )
    with FleetThread([HostConfig(ADDRESS, catalog, resolver_port=0), ntlm_only]) as running:
        yield running


def resolver_port(fleet: FleetThread, address: str = ADDRESS) -> int:
    port = next(h for h in fleet.hosts if h.config.address == address).resolver_port
    if port is None:
        raise RuntimeError("the resolver port is closed")
    return port


def search_titles(
    fleet: FleetThread, make: Callable[[], SecurityContext], level: AuthLevel
) -> list[str]:
    """Activate, search and read titles: every exporter call sealed or signed both ways."""
    return asyncio.run(_search_titles(fleet, make, level))


async def _search_titles(
    fleet: FleetThread, make: Callable[[], SecurityContext], level: AuthLevel
) -> list[str]:
    address = HostAddress(ADDRESS, resolver_port(fleet))
    session = AsyncSession(address, make, SessionOptions(auth_level=int(level)))
    await session.open()
    try:
        searcher = await session.update_session.create_update_searcher()
        result = await searcher.search("IsInstalled=0")
        return [await update.title for update in await result.updates]
    finally:
        await session.close()


def pending_titles(fleet: FleetThread) -> set[str]:
    catalog = fleet.hosts[0].config.catalog
    return {u.title for u in catalog.searchable_updates if not u.is_installed}


@pytest.mark.parametrize("level", LEVELS)
def test_pyspnego_negotiate_client_searches(fleet: FleetThread, level: AuthLevel) -> None:
    made: list[SpnegoClientContext] = []

    def make() -> SecurityContext:
        made.append(negotiate_client(Credentials(ADMIN, "", password=PASSWORD), level))
        return made[-1]

    titles = search_titles(fleet, make, level)
    assert titles and set(titles) <= pending_titles(fleet)
    assert len(made) >= 2  # TCP 135 and at least one exporter connection
    for context in made:
        assert context.auth_type == AuthType.GSS_NEGOTIATE
        assert context.complete and context.negotiated_protocol == "ntlm"


@pytest.mark.parametrize("level", LEVELS)
def test_kerberos_first_falls_back_to_ntlm_like_windows(
    fleet: FleetThread, level: AuthLevel
) -> None:
    """The host answers the Kerberos-first init with request-mic + the NTLM mech, then
    completes with its mechListMIC; sealed calls afterwards prove both sides restarted
    RC4 and kept counting sequence numbers."""
    made: list[KerberosFirstClient] = []

    def make() -> SecurityContext:
        made.append(KerberosFirstClient(ADMIN, PASSWORD, level))
        return made[-1]

    titles = search_titles(fleet, make, level)
    assert titles and set(titles) <= pending_titles(fleet)
    for context in made:
        first, _, last = context.answers
        assert (first[0], first[SUPPORTED_MECH]) == (REQUEST_MIC, NTLM_MECH)
        assert last[0] == ACCEPT_COMPLETED and len(last[MECH_LIST_MIC]) == 16


def test_negotiate_non_admin_is_refused(fleet: FleetThread) -> None:
    def make() -> SecurityContext:
        return negotiate_client(Credentials("auditor", "", password="Read0nly!"))

    with pytest.raises(AccessDenied):
        search_titles(fleet, make, AuthLevel.PKT_PRIVACY)


@pytest.mark.parametrize(
    "make",
    [
        lambda: negotiate_client(Credentials(ADMIN, "", password="wrong")),
        lambda: KerberosFirstClient(ADMIN, "wrong"),
    ],
    ids=["ntlm-first", "kerberos-first"],
)
def test_negotiate_wrong_password_fails(
    fleet: FleetThread, make: Callable[[], SecurityContext]
) -> None:
    """The host faults the alter_context carrying the bad AUTHENTICATE (access denied,
    then it closes), which the client reports as an authentication failure."""
    with pytest.raises(AuthenticationFailed, match="fault 0x00000005") as caught:
        search_titles(fleet, make, AuthLevel.PKT_PRIVACY)
    assert caught.value.stage == "authentication"


def bind_answer(
    port: int, auth_type: int, token: bytes, address: str = ADDRESS
) -> BindAck | BindNak:
    bind = Bind(
        call_id=1,
        max_xmit_frag=5840,
        max_recv_frag=5840,
        assoc_group_id=0,
        contexts=(ACTIVATOR_CONTEXT,),
        auth=AuthVerifier(auth_type, AuthLevel.PKT_PRIVACY, 0, token),
    )
    with socket.create_connection((address, port)) as sock:
        sock.sendall(encode_pdu(bind))
        header = sock.recv(16, socket.MSG_WAITALL)
        size = int.from_bytes(header[8:10], "little")
        answer = decode_pdu(header + sock.recv(size - 16, socket.MSG_WAITALL))
    assert isinstance(answer, BindAck | BindNak)
    return answer


@pytest.mark.parametrize(
    ("address", "auth_type"),
    [(ADDRESS, AuthType.GSS_KERBEROS), (NTLM_ONLY, AuthType.GSS_NEGOTIATE)],
    ids=["kerberos-alone", "negotiate-on-an-ntlm-only-host"],
)
def test_auth_types_not_offered_get_bind_nak(
    fleet: FleetThread, address: str, auth_type: AuthType
) -> None:
    token = negotiate_client(Credentials(ADMIN, "", password=PASSWORD)).step(None) or b""
    answer = bind_answer(resolver_port(fleet, address), auth_type, token, address)
    assert isinstance(answer, BindNak)
    assert answer.reject_reason == BindNakReason.AUTHENTICATION_TYPE_NOT_RECOGNIZED


def test_negotiate_bind_is_acknowledged(fleet: FleetThread) -> None:
    """The raw first leg: a NegTokenInit from pyspnego gets a bind_ack carrying a
    NegTokenResp with the NTLM CHALLENGE, under the client's auth context and type."""
    client = negotiate_client(Credentials(ADMIN, "", password=PASSWORD))
    answer = bind_answer(resolver_port(fleet), AuthType.GSS_NEGOTIATE, client.step(None) or b"")
    assert isinstance(answer, BindAck) and answer.auth is not None
    assert answer.auth.auth_type == AuthType.GSS_NEGOTIATE
    assert answer.results[0].accepted
    assert client.step(answer.auth.auth_value) is not None  # pyspnego accepts the challenge
