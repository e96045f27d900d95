"""Done-when #3 (robustness): a fuzzing client throws malformed bytes, mutated PDUs and,
once authenticated, random and mutated stubs at an emulated host. Every input must end
in a fault, an answer or a closed connection — never a crash, a hang, or memory that
keeps growing — and a stock client must still be served afterwards. The number of
inputs tried is printed (run with -s) and asserted."""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from impacket.dcerpc.v5 import rpcrt
from impacket.dcerpc.v5.dcom.oaut import IID_IDispatch, IID_ITypeInfo

from tests.emulator import impacket_client as ic
from wua.dcom import oaut
from wua.dcom.activation.builders import create_instance_request
from wua.dcom.interfaces import IOBJECTEXPORTER, IREMOTESCMACTIVATOR
from wua.dcom.orpc import ORPCTHIS, OrpcThis
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.server import typeinfo_wire as wire
from wua.rpc import ndr
from wua.rpc.constants import PfcFlags
from wua.rpc.pdu import Bind, Request, encode_pdu
from wua.rpc.presentation import NDR32, ContextElement, SyntaxId

ADDRESS = "127.0.5.1"
RAW_INPUTS = 8000
STUB_INPUTS = 2500
# How long one fuzz input may take to be answered or closed before it counts as a hang.
HANG_SECONDS = 10.0
MAX_GROWTH_MB = 40.0
_THIS = ndr.Params("ORPCTHIS", [("orpcthis", ndr.Ref(ORPCTHIS))])


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with FleetThread([HostConfig(ADDRESS, default_catalog())]) as running:
        yield running


def seeds() -> list[bytes]:
    """Valid unauthenticated conversations: bind, then calls on that context."""
    exporter = ContextElement(0, SyntaxId(IOBJECTEXPORTER.iid, 0, 0), (NDR32,))
    activator = ContextElement(1, SyntaxId(IREMOTESCMACTIVATOR.iid, 0, 0), (NDR32,))
    bind = encode_pdu(
        Bind(
            call_id=1,
            flags=PfcFlags.SINGLE,
            auth=None,
            max_xmit_frag=5840,
            max_recv_frag=5840,
            assoc_group_id=0,
            contexts=(exporter, activator),
        )
    )
    activation = create_instance_request(
        uuid.UUID("4cb43d7f-7eee-4906-8698-60da1c38f2fe"),
        [uuid.UUID("00020400-0000-0000-c000-000000000046")],
        cid=uuid.uuid4(),
    ).encode()
    calls = [
        (0, 5, b""),
        (0, 3, b""),
        (0, 1, bytes(8)),
        (0, 0, bytes(8) + b"\x01\x00\x00\x00\x01\x00\x00\x00\x07\x00"),
        (1, 4, activation),
    ]
    return [
        bind
        + encode_pdu(
            Request(
                call_id=2 + i,
                flags=PfcFlags.SINGLE,
                auth=None,
                context_id=ctx,
                opnum=opnum,
                stub=stub,
            )
        )
        for i, (ctx, opnum, stub) in enumerate(calls)
    ]


def mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        if choice < 0.4 and buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif choice < 0.6 and buf:
            del buf[rng.randrange(len(buf)) :]
        elif choice < 0.8:
            at = rng.randrange(len(buf) + 1)
            buf[at:at] = rng.randbytes(rng.randint(1, 16))
        elif len(buf) > 10:  # fragment length or auth length: the fields parsers trust
            at = rng.choice((8, 10))
            buf[at : at + 2] = rng.randrange(65536).to_bytes(2, "little")
    return bytes(buf)


def valid_stubs(dispid: int) -> list[tuple[int, bytes]]:
    """Well-formed GetTypeInfoCount, GetIDsOfNames and Invoke stubs (our encoders)."""
    this = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=uuid.uuid4())))
    names = oaut.GET_IDS_OF_NAMES_REQUEST(
        riid=oaut.IID_NULL, rgszNames=["ReadOnly"], cNames=1, lcid=0x409
    )
    invoke = oaut.INVOKE_REQUEST(
        dispIdMember=dispid,
        riid=oaut.IID_NULL,
        lcid=0x409,
        dwFlags=3,
        pDispParams=oaut.dispparams([]),
        cVarRef=0,
        rgVarRefIdx=[],
        rgVarRef=[],
    )
    return [
        (3, this),
        (5, this + ndr.encode(oaut.GET_IDS_OF_NAMES_REQUEST, names)),
        (6, this + ndr.encode(oaut.INVOKE_REQUEST, invoke)),
    ]


def send_raw(port: int, data: bytes) -> None:
    """Send, half-close, and read until the server closes: it must, whatever `data` is."""
    with socket.create_connection((ADDRESS, port), timeout=HANG_SECONDS) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                continue
        except ConnectionResetError:
            return  # a reset is a closed connection too


def handler_failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Calls whose handler raised something unexpected (the listener logs and faults
    them): a fuzz input must meet a decoding error, never a bug."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("wua")]


def walk_still_works() -> None:
    dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
    try:
        assert ic.get(ic.create(dcom), "ReadOnly") is False
    finally:
        ic.disconnect(dcom, ADDRESS)


@pytest.mark.slow
def test_malformed_bytes_and_mutated_pdus(
    fleet: FleetThread, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    rng = random.Random(4)
    host = fleet.hosts[0]
    ports = [135, host.exporter_port]
    corpus = seeds()
    before = rss_mb()
    tried = 0
    for _ in range(RAW_INPUTS):
        if rng.random() < 0.2:
            data = rng.randbytes(rng.randint(0, 300))
        else:
            data = mutate(rng, rng.choice(corpus))
        send_raw(rng.choice(ports), data)  # type: ignore[arg-type]
        tried += 1
    growth = rss_mb() - before
    print(f"\nraw fuzz: {tried} inputs, RSS growth {growth:.1f} MB")
    assert tried == RAW_INPUTS
    assert growth < MAX_GROWTH_MB
    assert handler_failures(caplog) == []
    walk_still_works()


@pytest.mark.slow
def test_random_and_mutated_stubs_after_authentication(
    fleet: FleetThread, caplog: pytest.LogCaptureFixture
) -> None:
    """Sealed calls whose stubs are garbage: each gets a fault or an answer, and the
    authenticated connection stays usable (the next call still works)."""
    caplog.set_level(logging.ERROR)
    rng = random.Random(5)
    dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
    faults = answers = 0
    try:
        session: Any = ic.create(dcom)
        valid = valid_stubs(session.GetIDsOfNames(("ReadOnly",))[0])
        for index in range(STUB_INPUTS):
            opnum = rng.choice((3, 4, 5, 6, 6, 6, 7, 8, 12, 40))
            if rng.random() < 0.5:
                stub = rng.randbytes(rng.randint(0, 200))
            else:
                opnum, stub = rng.choice(valid)
                stub = mutate(rng, stub) if rng.random() < 0.9 else stub
            session.connect(IID_IDispatch)
            dce = session.get_dce_rpc()
            try:
                dce.call(opnum, stub, session.get_iPid())
                dce.recv()
                answers += 1
            except rpcrt.DCERPCException:
                faults += 1
            if index % 100 == 0:
                assert ic.get(session, "ReadOnly") is False
    finally:
        ic.disconnect(dcom, ADDRESS)
    print(f"\nstub fuzz: {faults + answers} inputs, {faults} faults, {answers} answers")
    assert faults + answers == STUB_INPUTS and faults > 0 and answers > 0
    assert handler_failures(caplog) == []
    walk_still_works()


TYPE_INFO_INPUTS = 800


def type_info_stubs() -> list[tuple[int, bytes]]:
    """Well-formed calls of every ITypeInfo method the host answers (our encoders)."""
    this = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=uuid.uuid4())))
    calls: list[tuple[int, ndr.Params, dict[str, int]]] = [
        (3, wire.GET_TYPE_ATTR_REQUEST, {}),
        (5, wire.GET_FUNC_DESC_REQUEST, {"index": 2}),
        (6, wire.GET_VAR_DESC_REQUEST, {"index": 0}),
        (7, wire.GET_NAMES_REQUEST, {"memid": 0x60020000, "cMaxNames": 4}),
        (12, wire.GET_DOCUMENTATION_REQUEST, {"memid": -1, "refPtrFlags": 15}),
        (14, wire.GET_REF_TYPE_INFO_REQUEST, {"hRefType": 3}),
    ]
    return [(opnum, this + ndr.encode(params, params(**values))) for opnum, params, values in calls]


def test_random_and_mutated_type_info_calls(
    fleet: FleetThread, caplog: pytest.LogCaptureFixture
) -> None:
    """ITypeInfo (the object GetTypeInfo hands out) under garbage and mutated stubs on
    every opnum: a fault or an answer each time, and the object keeps answering."""
    caplog.set_level(logging.ERROR)
    rng = random.Random(6)
    dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
    faults = answers = 0
    try:
        info: Any = ic.create(dcom).GetTypeInfo()
        valid = type_info_stubs()
        for index in range(TYPE_INFO_INPUTS):
            opnum, stub = rng.choice(valid)
            if rng.random() < 0.3:
                opnum, stub = rng.randrange(3, 22), rng.randbytes(rng.randint(0, 120))
            elif rng.random() < 0.9:
                stub = mutate(rng, stub)
            try:
                ic.raw_call_bytes(info, IID_ITypeInfo, opnum, stub)
                answers += 1
            except rpcrt.DCERPCException:
                faults += 1
            if index % 100 == 0:
                assert info.GetTypeAttr()["ppTypeAttr"]["cFuncs"] > 0
    finally:
        ic.disconnect(dcom, ADDRESS)
    print(f"\ntype info fuzz: {faults + answers} inputs, {faults} faults, {answers} answers")
    assert faults + answers == TYPE_INFO_INPUTS and faults > 0 and answers > 0
    assert handler_failures(caplog) == []
