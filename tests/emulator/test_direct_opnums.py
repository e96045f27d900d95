"""Direct vtable calls (opnum = slot) on all 26 remote interfaces, through the codecs of
`wua.dcom.uamg`, sent over impacket's authenticated, sealed transport.

Starting from the four creatable coclasses, the test follows every interface-pointer
getter (and Item of each collection, Search and QueryHistory), QueryInterfaces each
object for each WUA interface it has (IRemUnknown::RemQueryInterface), and calls every
parameterless getter by opnum. Each answer must decode to the end and equal what the
model answers in-process for the same object, or carry the same failure HRESULT.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from impacket.dcerpc.v5.dcom.oaut import IID_IDispatch, string_to_bin
from impacket.dcerpc.v5.dcomrt import INTERFACE, IRemUnknown2
from impacket.uuid import uuidtup_to_bin

from tests.emulator import impacket_client as ic
from wua.dcom import oaut, uamg
from wua.dcom.objref import decode_objref
from wua.dcom.orpc import ORPCTHIS, OrpcThis
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.wua import EmulatedObject, HostBehaviour, SearchWarning, invoke
from wua.errors import WuaError
from wua.reference.coclasses import coclass
from wua.reference.interfaces import Member, MemberKind, interface, remote_interfaces
from wua.rpc import ndr

ADDRESS = "127.0.3.1"
ROOTS = ("UpdateSession", "UpdateServiceManager", "AutomaticUpdates", "WindowsUpdateAgentInfo")
VISITS_PER_INTERFACE = 2
_THIS = ndr.Params("ORPCTHIS", [("orpcthis", ndr.Ref(ORPCTHIS))])
# Calls that take arguments, made on the way to reach more objects.
CALLS: dict[tuple[str, str], list[Any]] = {
    ("IUpdateSearcher", "Search"): ["IsInstalled=0"],
    ("IUpdateSearcher", "QueryHistory"): [0, 5],
    ("IWindowsUpdateAgentInfo", "GetInfo"): [oaut.Variant.of("ProductVersionString")],
}


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    warning = SearchWarning("the update server answered slowly", 0x80244022)
    behaviour = HostBehaviour(search_warnings=(warning,))
    with FleetThread([HostConfig(ADDRESS, default_catalog(), behaviour=behaviour)]) as running:
        yield running


class DirectClient:
    """Vtable calls over impacket's connections to the exporter."""

    def __init__(self, anchor: Any, fleet: FleetThread) -> None:
        self.anchor = anchor  # an impacket interface: credentials, bindings, OXID
        self.table = fleet.hosts[0].runtime.table

    def model(self, ipid: uuid.UUID) -> Any:
        found = self.table.lookup(ipid)
        assert found is not None, f"{ipid} is not exported"
        return found[0]

    def _proxy(self, ipid: uuid.UUID) -> Any:
        anchor = self.anchor
        return INTERFACE(
            anchor.get_cinstance(),
            None,
            anchor.get_ipidRemUnknown(),
            ipid.bytes_le,
            oxid=anchor.get_oxid(),
            oid=0,
            target=anchor.get_target(),
        )

    def query_interface(self, ipid: uuid.UUID, name: str) -> uuid.UUID:
        iid = string_to_bin(interface(name).iid)
        answer = IRemUnknown2(self._proxy(ipid)).RemQueryInterface(1, [iid])
        return uuid.UUID(bytes_le=answer.get_iPid())

    def call(self, ipid: uuid.UUID, member: Member, args: list[Any]) -> tuple[Any, int]:
        codec = uamg.codec_for(member)
        this = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=uuid.uuid4())))
        body = this + codec.encode_request(args)
        proxy = self._proxy(ipid)
        proxy.connect(uuidtup_to_bin((interface(member.interface).iid, "0.0")))
        if member.interface != interface_of_ipid(self, ipid):
            raise AssertionError("call on an IPID of another interface")
        dce = proxy.get_dce_rpc()
        dce.call(member.slot, body, ipid.bytes_le)
        raw = dce.recv()
        return codec.decode_response(raw, 8)  # after the empty ORPCTHAT


def interface_of_ipid(client: DirectClient, ipid: uuid.UUID) -> str:
    found = client.table.lookup(ipid)
    assert found is not None
    return interface(str(found[1].iid)).name


def expected(obj: EmulatedObject, member: Member, args: list[Any]) -> tuple[object, int]:
    plain = [a.value if isinstance(a, oaut.Variant) else a for a in args]
    try:
        return invoke(obj, member.interface, member.name, member.kind, plain), 0
    except WuaError as exc:
        return None, exc.hresult


def same(wire: Any, value: object, wire_type: str) -> bool:
    if wire_type == "DATE":
        assert isinstance(value, dt.datetime)
        return bool(wire == value.astimezone(dt.UTC).replace(tzinfo=None))
    if wire_type == "DECIMAL":
        return bool(wire == Decimal(str(value)))
    if wire_type == "VARIANT":
        return isinstance(wire, oaut.Variant) and bool(wire.value == value)
    if wire_type == "BSTR":
        return bool(wire == (value or "") or (wire is None and value is None))
    return bool(wire == value)


def test_every_remote_interface_by_opnum(fleet: FleetThread) -> None:
    anchor = None
    queue: deque[uuid.UUID] = deque()
    connections = []
    try:
        for name in ROOTS:
            # impacket binds again on its TCP 135 connection for every activation: one
            # DCOMConnection per activation (they share the exporter connection)
            dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
            connections.append(dcom)
            root = dcom.CoCreateInstanceEx(string_to_bin(coclass(name).clsid), IID_IDispatch)
            anchor = anchor or root
            queue.append(uuid.UUID(bytes_le=root.get_iPid()))
        assert anchor is not None
        client = DirectClient(anchor, fleet)
        visits: Counter[str] = Counter()
        checked: Counter[str] = Counter()
        while queue:
            ipid = queue.popleft()
            obj = client.model(ipid)
            for name in obj.interfaces():
                if visits[name] >= VISITS_PER_INTERFACE or not interface(name).sdk_remote:
                    continue
                visits[name] += 1
                typed = client.query_interface(ipid, name)
                for member, args in _calls(name, obj):
                    wire, hresult = client.call(typed, member, args)
                    value, want = expected(obj, member, args)
                    assert hresult == want, (name, member.name)
                    checked[name] += 1
                    if hresult or member.returns is None:
                        continue
                    if member.returns.endswith("*") and member.returns != "IUnknown*":
                        assert (wire is None) == (value is None), (name, member.name)
                        if wire is not None:
                            objref = decode_objref(wire.objref)
                            assert objref.iid == uuid.UUID(interface(member.returns[:-1]).iid)
                            queue.append(objref.std.ipid)  # type: ignore[union-attr]
                    elif not member.returns.endswith("*"):
                        assert same(wire, value, member.returns), (name, member.name, wire)
    finally:
        for dcom in connections:
            ic.disconnect(dcom, ADDRESS)
    remote = {i.name for i in remote_interfaces()}
    assert set(checked) == remote, remote - set(checked)


def _calls(name: str, obj: EmulatedObject) -> Iterator[tuple[Member, list[Any]]]:
    """The calls to make on `name` of `obj`: each own member with the arguments to pass."""
    for member in interface(name).members:
        inputs = [p for p in member.params if p.direction == "in"]
        if not inputs and member.kind is not MemberKind.PROPPUT and member.name != "Clear":
            yield member, []  # getters, and methods such as CreateUpdateSearcher or DetectNow
        elif member.kind is MemberKind.PROPGET and member.name == "Item" and len(inputs) == 1:
            count = invoke(obj, member.interface, "Count", MemberKind.PROPGET)
            assert isinstance(count, int)
            # every update (to meet the drivers among them); the first of anything else
            for index in range(count if name == "IUpdateCollection" else min(count, 1)):
                yield member, [index]
        elif (member.interface, member.name) in CALLS:
            yield member, CALLS[(member.interface, member.name)]
