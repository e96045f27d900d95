"""The dispatch rules: remote refusals, argument checks, member resolution, QueryInterface."""

from __future__ import annotations

import pytest

from tests.emulator_wua.helpers import CALL, GET, PUT, call, get, obj
from tests.emulator_wua.reach import reach_all
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import (
    EmulatedObject,
    HostState,
    activate,
    interface_ids,
    invoke,
    member_for_dispid,
    member_for_slot,
    query_interface,
)
from wua.errors import AccessDenied, WuaError
from wua.reference import interface, restriction_for
from wua.reference.coclasses import all_coclasses
from wua.reference.interfaces import IDISPATCH_IID, IENUMVARIANT_IID, IUNKNOWN_IID, MemberKind

E_ACCESSDENIED = 0x80070005
E_NOINTERFACE = 0x80004002
DISP_E_MEMBERNOTFOUND = 0x80020003
DISP_E_TYPEMISMATCH = 0x80020005
DISP_E_OVERFLOW = 0x8002000A
DISP_E_BADPARAMCOUNT = 0x8002000E
E_INVALIDARG = 0x80070057
E_POINTER = 0x80004003


def _restricted(objects: list[EmulatedObject]) -> list[tuple[EmulatedObject, str, str, MemberKind]]:
    return [
        (o, iface, m.name, m.kind)
        for o in objects
        for iface in o.interfaces()
        for m in interface(iface).members
        if restriction_for(iface, m.name, m.kind) is not None
    ]


def _dummy_args(iface: str, member: str, kind: MemberKind) -> list[object]:
    """Well-typed arguments: the refusal must not depend on them."""
    samples = {"BSTR": "x", "LONG": 1, "VARIANT_BOOL": True, "VARIANT": None}
    args: list[object] = []
    for p in interface(iface).member(member, kind).params:
        args.append(samples.get(p.type))
    return args


@pytest.fixture(scope="module")
def reached() -> dict[str, EmulatedObject]:
    return {name: s.obj for name, s in reach_all(HostState(default_catalog())).items()}


def test_every_restricted_member_of_a_reachable_object_is_access_denied(
    reached: dict[str, EmulatedObject],
) -> None:
    objects = list({id(o): o for o in reached.values()}.values())
    refused = _restricted(objects)
    names = {(iface, member, kind) for _, iface, member, kind in refused}
    # the 20 of the remote page plus the 3 method-page denials (RemoveService,
    # AddScanPackageService, IUpdateCollection::Copy), all on objects a caller can reach
    assert ("IUpdateSession", "CreateUpdateInstaller", CALL) in names
    assert ("IUpdate", "IsHidden", PUT) in names
    assert ("IUpdateCollection", "Copy", CALL) in names
    assert ("IUpdateServiceManager", "AddScanPackageService", CALL) in names
    assert ("IAutomaticUpdates", "Settings", GET) in names
    assert len(names) == 23
    for o, iface, member, kind in refused:
        with pytest.raises(AccessDenied) as caught:
            invoke(o, iface, member, kind, _dummy_args(iface, member, kind))
        assert caught.value.hresult == E_ACCESSDENIED, (iface, member)


def test_a_restricted_member_is_refused_even_with_wrong_arguments(
    reached: dict[str, EmulatedObject],
) -> None:
    with pytest.raises(AccessDenied):
        invoke(reached["IUpdate"], "IUpdate", "IsHidden", PUT, [])


def test_is_hidden_stays_readable(reached: dict[str, EmulatedObject]) -> None:
    assert isinstance(get(reached["IUpdate"], "IUpdate", "IsHidden"), bool)


@pytest.mark.parametrize(
    "name",
    ["UpdateDownloader", "UpdateInstaller", "SystemInformation", "WebProxy", "InstallationAgent"],
)
def test_classes_with_no_remote_interface_cannot_be_activated(name: str) -> None:
    with pytest.raises(AccessDenied):
        activate(HostState(default_catalog()), all_coclasses()[name].clsid)


def test_unknown_class_is_not_registered() -> None:
    with pytest.raises(WuaError) as caught:
        activate(HostState(default_catalog()), "00000000-1111-2222-3333-444444444444")
    assert caught.value.hresult == 0x80040154


# (interface, member, kind, args, HRESULT): the IDispatch-style answers to bad calls.
BAD_CALLS = [
    ("IUpdateSearcher", "QueryHistory", CALL, [0], DISP_E_BADPARAMCOUNT),
    ("IUpdateSearcher", "QueryHistory", CALL, [0, 1, 2], DISP_E_BADPARAMCOUNT),
    ("IUpdateSearcher", "QueryHistory", CALL, ["0", 1], DISP_E_TYPEMISMATCH),
    ("IUpdateSearcher", "QueryHistory", CALL, [True, 1], DISP_E_TYPEMISMATCH),
    ("IUpdateSearcher", "QueryHistory", CALL, [0, 2**31], DISP_E_OVERFLOW),
    ("IUpdateSearcher", "Search", CALL, [5], DISP_E_TYPEMISMATCH),
    ("IUpdateSearcher", "ServerSelection", PUT, [7], E_INVALIDARG),
    ("IUpdateSearcher", "ServerSelection", PUT, ["ssDefault"], DISP_E_TYPEMISMATCH),
    ("IUpdateSearcher", "Online", PUT, ["yes"], DISP_E_TYPEMISMATCH),
    ("IUpdateSearcher", "ServiceID", PUT, ["not-a-guid"], E_INVALIDARG),
    ("IUpdateSearcher", "Title", GET, [], DISP_E_MEMBERNOTFOUND),
    ("IUpdateSearcher", "Online", CALL, [], DISP_E_MEMBERNOTFOUND),
    ("IUpdateSession", "UserLocale", PUT, [1033], DISP_E_MEMBERNOTFOUND),  # IUpdateSession2's
    ("IUpdateSession2", "UserLocale", PUT, [-1], DISP_E_OVERFLOW),
    ("IUpdateSession2", "UserLocale", PUT, [0], E_INVALIDARG),
    ("IUpdate", "Title", GET, [], E_NOINTERFACE),  # a session is no update
    ("INoSuchInterface", "Title", GET, [], E_NOINTERFACE),
]


@pytest.mark.parametrize(("iface", "member", "kind", "args", "hresult"), BAD_CALLS)
def test_bad_calls_get_the_idispatch_answer(
    iface: str, member: str, kind: MemberKind, args: list[object], hresult: int
) -> None:
    session = activate(HostState(default_catalog()), "UpdateSession")
    target = session if iface.startswith(("IUpdateSession", "IUpdate", "INo")) else None
    if iface == "IUpdateSearcher":
        target = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    assert target is not None
    with pytest.raises(WuaError) as caught:
        invoke(target, iface, member, kind, args)
    assert caught.value.hresult == hresult


def test_interface_pointer_arguments_must_implement_the_interface() -> None:
    state = HostState(default_catalog())
    collection = activate(state, "Microsoft.Update.UpdateColl")
    strings = activate(state, "Microsoft.Update.StringColl")
    with pytest.raises(WuaError) as caught:
        call(collection, "IUpdateCollection", "Add", strings)
    assert caught.value.hresult == DISP_E_TYPEMISMATCH
    with pytest.raises(WuaError) as caught:
        call(collection, "IUpdateCollection", "Add", None)
    assert caught.value.hresult == E_POINTER


# (interface, slot) -> (member, kind): the direct vtable path (opnum = slot).
SLOTS = [
    ("IWindowsUpdateAgentInfo", 7, "GetInfo", CALL),
    ("IUpdateSearcher", 19, "Search", CALL),
    ("IUpdateSession3", 12, "CreateUpdateSearcher", CALL),
    ("IUpdateSession3", 18, "QueryHistory", CALL),
    ("IUpdate5", 59, "AutoDownload", GET),
    ("IWindowsDriverUpdate5", 68, "AutoDownload", GET),
    ("IUpdateServiceManager", 13, "SetOption", CALL),
    ("IUpdateCollection", 8, "Item", PUT),
]


@pytest.mark.parametrize(("iface", "slot", "member", "kind"), SLOTS)
def test_vtable_slots_resolve_to_members(
    iface: str, slot: int, member: str, kind: MemberKind
) -> None:
    found = member_for_slot(iface, slot)
    assert (found.name, found.kind) == (member, kind)


def test_an_unknown_slot_is_member_not_found() -> None:
    with pytest.raises(WuaError) as caught:
        member_for_slot("IWindowsUpdateAgentInfo", 8)
    assert caught.value.hresult == DISP_E_MEMBERNOTFOUND


# (interface, DISPID, wFlags) -> (member, kind): the IDispatch path.
DISPIDS = [
    ("IUpdateSession", 0x60020001, 2, "ClientApplicationID", GET),
    ("IUpdateSession", 0x60020001, 3, "ClientApplicationID", GET),
    ("IUpdateSession", 0x60020001, 4, "ClientApplicationID", PUT),
    ("IUpdateSession", 0x60020004, 1, "CreateUpdateSearcher", CALL),
    ("IUpdateSession", 0x60020004, 3, "CreateUpdateSearcher", CALL),
    ("IUpdateCollection", 0, 3, "Item", GET),
    ("IUpdateCollection", 0, 4, "Item", PUT),
    ("IUpdateCollection", 0, 8, "Item", PUT),
    ("IUpdateCollection", -4, 2, "_NewEnum", GET),
    ("IUpdateServiceManager", 0x60010007, 1, "SetOption", CALL),
]


@pytest.mark.parametrize(("iface", "dispid", "flags", "member", "kind"), DISPIDS)
def test_dispids_resolve_to_members(
    iface: str, dispid: int, flags: int, member: str, kind: MemberKind
) -> None:
    found = member_for_dispid(iface, dispid, flags)
    assert (found.name, found.kind) == (member, kind)


@pytest.mark.parametrize(
    ("iface", "dispid", "flags"),
    [
        ("IUpdateSession", 0x60020002, 4),  # a put of the read-only ReadOnly
        ("IUpdateCollection", 0x60020001, 1),  # Count asked for as a method
        ("IUpdateSession", 0x60020004, 2),  # CreateUpdateSearcher asked for as a getter
        ("IUpdateSession", 0x6002FFFF, 3),  # no such DISPID
    ],
)
def test_flags_must_name_the_members_kind(iface: str, dispid: int, flags: int) -> None:
    with pytest.raises(WuaError) as caught:
        member_for_dispid(iface, dispid, flags)
    assert caught.value.hresult == DISP_E_MEMBERNOTFOUND


SOFTWARE = {"IUpdate", "IUpdate2", "IUpdate3", "IUpdate4", "IUpdate5"}
DRIVER = {"IUpdate"} | {f"IWindowsDriverUpdate{n}" for n in ("", "2", "3", "4", "5")}


# Which interfaces an object answers QueryInterface for, by what it was reached as.
QI_SETS = {
    "IUpdateSession": {"IUpdateSession", "IUpdateSession2", "IUpdateSession3"},
    "IUpdateSearcher": {"IUpdateSearcher", "IUpdateSearcher2", "IUpdateSearcher3"},
    "IUpdate": SOFTWARE,
    "IWindowsDriverUpdate": DRIVER,
    "IUpdateService": {"IUpdateService", "IUpdateService2"},
    "IUpdateServiceManager": {"IUpdateServiceManager", "IUpdateServiceManager2"},
    "IAutomaticUpdates": {"IAutomaticUpdates", "IAutomaticUpdates2"},
    "IUpdateHistoryEntry": {"IUpdateHistoryEntry", "IUpdateHistoryEntry2"},
    "IUpdateDownloadContent": {"IUpdateDownloadContent", "IUpdateDownloadContent2"},
    "IStringCollection": {"IStringCollection"},
    "ICategory": {"ICategory"},
    "IWindowsUpdateAgentInfo": {"IWindowsUpdateAgentInfo"},
}


@pytest.mark.parametrize("reached_as", sorted(QI_SETS))
def test_query_interface_sets(reached: dict[str, EmulatedObject], reached_as: str) -> None:
    target = reached[reached_as]
    wanted = {interface(n).iid for n in QI_SETS[reached_as]} | {IUNKNOWN_IID, IDISPATCH_IID}
    assert interface_ids(target) == wanted
    for name in ("IUpdate2", "IWindowsDriverUpdate", "ISystemInformation", "IUpdateInstaller"):
        assert query_interface(target, interface(name).iid) == (interface(name).iid in wanted)
    assert not query_interface(target, IENUMVARIANT_IID)


def test_a_driver_update_is_not_an_iupdate2(reached: dict[str, EmulatedObject]) -> None:
    driver = reached["IWindowsDriverUpdate"]
    assert query_interface(driver, interface("IWindowsDriverUpdate5").iid)
    assert not query_interface(driver, interface("IUpdate2").iid.upper())
    with pytest.raises(WuaError) as caught:
        get(driver, "IUpdate2", "RebootRequired")
    assert caught.value.hresult == E_NOINTERFACE


def test_the_enumerator_answers_ienumvariant_only(reached: dict[str, EmulatedObject]) -> None:
    enumerator = get(reached["IUpdateCollection"], "IUpdateCollection", "_NewEnum")
    assert query_interface(enumerator, IENUMVARIANT_IID)  # type: ignore[arg-type]
    assert query_interface(enumerator, IUNKNOWN_IID)  # type: ignore[arg-type]
    assert not query_interface(enumerator, IDISPATCH_IID)  # type: ignore[arg-type]
