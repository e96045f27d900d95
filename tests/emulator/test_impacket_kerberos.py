"""impacket's own Kerberos (independent of MIT's initiator) against an emulated
domain-member host on TCP 135: the three DCE-style legs of a Negotiate bind, then stock
`DCOMConnection` walking WUA with sealed (and signed-only) calls.

impacket 0.13.1 cannot talk to MIT's KDC itself (it rejects the AS-REP and MIT rejects
its TGS-REQ), so the service ticket comes from `kinit` + `kvno` into a ticket cache that
impacket reads (KRB5CCNAME), as `getST.py`-made caches are used against Windows.

impacket differs from Windows in four ways the host must take, as Windows does: its
AP-REQ comes in RFC 2743 framing although it sets GSS_C_DCE_STYLE (Windows sends it
bare); its third leg has no mechListMIC; its alter_context repeats the presentation
context list after `ctx_num` items (`MSRPCBind.getData` appends them again on every
call), which a parser that finds the sec_trailer from the end skips; and it does not ask
for header signing (PFC_SUPPORT_HEADER_SIGN), so its wrap tokens cover the stub alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from impacket.dcerpc.v5 import transport
from impacket.dcerpc.v5.dcomrt import DCOMConnection, IID_IRemoteSCMActivator
from impacket.dcerpc.v5.rpcrt import (
    MSRPC_ALTERCTX,
    MSRPC_ALTERCTX_R,
    MSRPC_BIND,
    MSRPC_BINDACK,
    MSRPC_BINDNAK,
    RPC_C_AUTHN_GSS_NEGOTIATE,
    RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
    RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
    SEC_TRAILER,
    CtxItem,
    MSRPCBind,
    MSRPCBindAck,
    MSRPCHeader,
)
from impacket.krb5 import kerberosv5
from impacket.krb5.constants import EncryptionTypes
from impacket.spnego import SPNEGO_NegTokenResp
from impacket.uuid import uuidtup_to_bin

from tests.emulator import impacket_client as ic
from tests.support.kdc import PORT_88_ADDRESS, REALM, Realm
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

ADDRESS = "127.0.58.1"
ADMIN, PASSWORD = "Administrator", "Passw0rd!"
NDR32 = ("8a885d04-1ceb-11c9-9fe8-08002b104860", "2.0")
AUTH_CONTEXT_ID = 79231  # impacket's: its context id + 79231
ACCEPT_COMPLETED, ACCEPT_INCOMPLETE = b"\x00", b"\x01"


@pytest.fixture(scope="module", autouse=True)
def port_135() -> None:
    if os.geteuid() != 0:
        message = "impacket dials TCP 135, which only root may listen on"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def member_host(kerberos_realm: Realm) -> Iterator[FleetThread]:
    keytab = kerberos_realm.host_keytab(ADDRESS)
    with FleetThread([HostConfig(ADDRESS, default_catalog(), keytab=keytab)]) as running:
        yield running


@pytest.fixture
def ticket_cache(
    kerberos_realm: Realm, member_host: FleetThread, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The administrator's TGT and host/ADDRESS ticket, where impacket looks for them."""
    cache = kerberos_realm.service_ticket(ADMIN, PASSWORD, ADDRESS)
    monkeypatch.setenv("KRB5CCNAME", str(cache))
    return cache


def activator_context() -> MSRPCBind:
    """A fresh presentation context list (see the module docstring for why fresh)."""
    bind = MSRPCBind()
    item = CtxItem()
    item["AbstractSyntax"] = IID_IRemoteSCMActivator
    item["TransferSyntax"] = uuidtup_to_bin(NDR32)
    item["ContextID"] = 0
    item["TransItems"] = 1
    bind.addCtxItem(item)
    return bind


def pdu_with_auth(kind: int, call_id: int, auth: bytes) -> bytes:
    """impacket's bind / alter_context with a Negotiate verifier at PKT_PRIVACY."""
    packet = MSRPCHeader()
    packet["type"] = kind
    packet["call_id"] = call_id
    packet["pduData"] = activator_context().getData()
    trailer = SEC_TRAILER()
    trailer["auth_type"] = RPC_C_AUTHN_GSS_NEGOTIATE
    trailer["auth_level"] = RPC_C_AUTHN_LEVEL_PKT_PRIVACY
    trailer["auth_ctx_id"] = AUTH_CONTEXT_ID
    packet["sec_trailer"] = trailer
    packet["auth_data"] = auth
    data: bytes = packet.get_packet()
    return data


@dataclass
class Answer:
    ptype: int
    auth: bytes


def exchange(rpc: Any, pdu: bytes) -> Answer:
    rpc.send(pdu)
    header = MSRPCHeader(rpc.recv())
    auth = b""
    if header["type"] in (MSRPC_BINDACK, MSRPC_ALTERCTX_R):
        auth = MSRPCBindAck(header.getData())["auth_data"]
    return Answer(header["type"], auth)


def ap_req() -> tuple[Any, Any, bytes]:
    """impacket's NegTokenInit with its framed AP-REQ, from the ticket cache."""
    cipher, key, token = kerberosv5.getKerberosType1(ADMIN, "", REALM, "", "", targetName=ADDRESS)
    return cipher, key, token


@pytest.fixture
def rpc(ticket_cache: Path) -> Iterator[Any]:
    connection = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{ADDRESS}[135]")
    connection.connect()
    try:
        yield connection
    finally:
        connection.disconnect()


def test_three_legs_of_impackets_kerberos_bind(rpc: Any) -> None:
    cipher, key, init = ap_req()
    bind_ack = exchange(rpc, pdu_with_auth(MSRPC_BIND, 1, init))
    assert bind_ack.ptype == MSRPC_BINDACK
    first = SPNEGO_NegTokenResp(bind_ack.auth)
    assert first["NegState"] == ACCEPT_INCOMPLETE

    # Mutual authentication: impacket decrypts our AP-REP with the ticket's session
    # key and takes the acceptor subkey (DCE style always has one) from it.
    _, subkey, third = kerberosv5.getKerberosType3(cipher, key, bind_ack.auth)
    assert subkey.enctype == EncryptionTypes.aes256_cts_hmac_sha1_96.value
    assert subkey.contents != key.contents
    assert "MechListMIC" not in SPNEGO_NegTokenResp(third).fields

    alter_resp = exchange(rpc, pdu_with_auth(MSRPC_ALTERCTX, 2, third))
    assert alter_resp.ptype == MSRPC_ALTERCTX_R
    last = SPNEGO_NegTokenResp(alter_resp.auth)
    assert last["NegState"] == ACCEPT_COMPLETED
    # The client sent no mechListMIC, so none is answered (RFC 4178 §5: optional).
    assert "MechListMIC" not in last.fields


def test_an_altered_authenticator_is_refused(rpc: Any) -> None:
    """Unframing impacket's AP-REQ weakens nothing: MIT still checks the authenticator
    (the last bytes of the token are its ciphertext)."""
    _, _, init = ap_req()
    altered = init[:-3] + bytes([init[-3] ^ 1]) + init[-2:]
    answer = exchange(rpc, pdu_with_auth(MSRPC_BIND, 1, altered))
    assert answer.ptype == MSRPC_BINDNAK


@pytest.mark.parametrize(
    "level",
    [RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY],
    ids=["privacy", "integrity"],
)
def test_stock_dcom_connection_walks_wua_with_kerberos(
    member_host: FleetThread, ticket_cache: Path, level: int
) -> None:
    dcom = DCOMConnection(
        ADDRESS,
        ADMIN,
        "",
        REALM,
        doKerberos=True,
        kdcHost=PORT_88_ADDRESS,
        oxidResolver=False,
        authLevel=level,
    )
    try:
        session = ic.create(dcom)
        searcher = ic.method(session, "CreateUpdateSearcher")
        assert ic.get(searcher, "Online") is True
        walked = ic.walk_updates(session)
    finally:
        ic.disconnect(dcom, ADDRESS)
    catalog = member_host.hosts[0].config.catalog
    titles = {update.title for update in catalog.updates}
    assert walked and all(row["Title"] in titles for row in walked)
