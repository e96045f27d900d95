"""The package's facts agree with ../shared/wua-reference, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from wua.reference import all_coclasses, enums, interface, remote_interfaces
from wua.reference.coclasses import classifications, service_ids
from wua.reference.hresults import table

REMOTE_26 = [
    "IUpdateSession",
    "IUpdateSession2",
    "IUpdateSearcher",
    "IAutomaticUpdates",
    "ISearchResult",
    "IUpdateCollection",
    "IUpdate",
    "IUpdate2",
    "IWindowsDriverUpdate",
    "IWindowsDriverUpdate2",
    "IUpdateIdentity",
    "IImageInformation",
    "IInstallationBehavior",
    "IStringCollection",
    "IUpdateHistoryEntryCollection",
    "IUpdateHistoryEntry",
    "ICategoryCollection",
    "ICategory",
    "IUpdateExceptionCollection",
    "IUpdateException",
    "IUpdateDownloadContentCollection",
    "IUpdateDownloadContent",
    "IUpdateServiceManager",
    "IUpdateServiceCollection",
    "IUpdateService",
    "IWindowsUpdateAgentInfo",
]


def test_the_26_remote_interfaces_are_the_design_list() -> None:
    assert sorted(i.name for i in remote_interfaces()) == sorted(REMOTE_26)


@pytest.mark.parametrize("name", REMOTE_26)
def test_iid_dispid_slot_agree_with_shared(name: str, shared_reference: dict[str, Any]) -> None:
    raw = shared_reference["interfaces"]["interfaces"][name]
    ours = interface(name)
    assert ours.iid == raw["iid"].lower()
    assert ours.parent == raw["parent"]
    assert len(ours.members) == len(raw["members"])
    for m, r in zip(ours.members, raw["members"], strict=True):
        assert (m.name, m.kind.value) == (r["name"], r["kind"])
        assert m.dispid == int(r["dispid"], 16) - (
            1 << 32 if int(r["dispid"], 16) >= 1 << 31 else 0
        )
        assert m.slot == r["vtable_slot"] == m.opnum
        assert m.remote_restricted == r["remote_restricted"]
        assert [p.type for p in m.params] == [p["type"] for p in r["params"]]
        assert m.returns == r["returns"]


def test_slots_are_contiguous_after_the_parent(shared_reference: dict[str, Any]) -> None:
    for iface in remote_interfaces():
        slots = [m.slot for m in iface.all_members()]
        assert slots == list(range(7, 7 + len(slots))), iface.name


def test_every_interface_is_loaded(shared_reference: dict[str, Any]) -> None:
    raw = shared_reference["interfaces"]["interfaces"]
    for name, r in raw.items():
        assert interface(name).iid == r["iid"].lower()
        assert interface(r["iid"].upper()).name == name


def test_enums_agree(shared_reference: dict[str, Any]) -> None:
    raw = shared_reference["enums"]["enums"]
    assert set(raw) == set(enums.ALL)
    for name, e in raw.items():
        assert {v["name"]: v["value"] for v in e["values"]} == {
            m.name: m.value
            for m in enums.ALL[name]  # type: ignore[attr-defined]
        }


def test_coclasses_and_ids_agree(shared_reference: dict[str, Any]) -> None:
    raw = shared_reference["coclasses"]["coclasses"]
    assert {k: (v["clsid"], v["progid"]) for k, v in raw.items()} == {
        k: (c.clsid, c.progid) for k, c in all_coclasses().items()
    }
    cats = shared_reference["categories"]
    assert [c["id"] for c in cats["classifications"]] == [c.id for c in classifications()]
    assert [s["id"].lower() for s in cats["service_ids"]] == [s.id for s in service_ids()]


def test_every_hresult_is_in_the_table(shared_reference: dict[str, Any]) -> None:
    rows = table()
    for e in shared_reference["errors"]["errors"]:
        row = rows[int(e["hex"], 16)]
        assert row.symbol == e["name"]
        assert row.meaning


def test_shipped_json_is_the_shared_json(shared_reference: dict[str, Any]) -> None:
    from wua.reference._data import load

    for name, data in shared_reference.items():
        assert load(name) == data, f"src/wua/reference/data/{name}.json differs from shared"


def test_dispatch_constants_agree_with_the_reference_data() -> None:
    from wua.reference import interfaces as module
    from wua.reference._data import load

    constants = load("interfaces")["_meta"]["dispid_constants"]
    named = {k: v["value"] for k, v in constants.items() if k.startswith("DISPID_")}
    named.update(constants["invoke_wflags"])
    assert len(named) == 8
    for name, value in named.items():
        assert getattr(module, name) == value, name


def test_dispatch_interfaces_are_those_rooted_in_idispatch(
    shared_reference: dict[str, Any],
) -> None:
    raw = shared_reference["interfaces"]["interfaces"]
    for name, r in raw.items():
        assert interface(name).is_dispatch == ("IDispatch" in r["inheritance_chain"]), name
    assert not interface("ISearchCompletedCallback").is_dispatch
    assert interface("IWindowsDriverUpdate5").is_dispatch
