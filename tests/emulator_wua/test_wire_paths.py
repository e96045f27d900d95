"""The two wire paths (IDispatch by DISPID, vtable by slot) reach the same handlers."""

from __future__ import annotations

import pytest

from tests.emulator_wua.helpers import GET, get
from tests.emulator_wua.reach import Sample, reach_all
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import (
    HostState,
    dispatch_interface,
    dispid_of_name,
    invoke,
    invoke_dispid,
    invoke_slot,
)
from wua.errors import WuaError
from wua.reference import interface, restriction_for

DISPATCH_PROPERTYGET = 2
DISP_E_UNKNOWNNAME = 0x80020006


@pytest.fixture(scope="module")
def reached() -> dict[str, Sample]:
    return reach_all(HostState(default_catalog()))


def test_the_dispatch_interface_chain_is_exactly_what_an_object_implements(
    reached: dict[str, Sample],
) -> None:
    for sample in reached.values():
        assert set(dispatch_interface(sample.obj).chain()) == set(sample.obj.interfaces())


def test_every_getter_answers_the_same_on_all_three_paths(reached: dict[str, Sample]) -> None:
    """By name, by DISPID on the dispatch interface, and by vtable slot."""
    checked = 0
    for iface, sample in reached.items():
        for member in interface(iface).members:
            if member.kind is not GET or restriction_for(iface, member.name, GET) is not None:
                continue
            if member.returns is None or member.returns.endswith("*"):
                continue  # objects are new on each read; compare scalars
            args = [0] if member.params else []
            by_name = invoke(sample.obj, iface, member.name, GET, args)
            by_dispid = invoke_dispid(sample.obj, member.dispid, DISPATCH_PROPERTYGET, args)
            by_slot = invoke_slot(sample.obj, iface, member.slot, args)
            assert by_name == by_dispid == by_slot, (iface, member.name)
            checked += 1
    assert checked > 100


def test_dispid_0x60030001_depends_on_the_update_kind(reached: dict[str, Sample]) -> None:
    software, driver = reached["IUpdate"].obj, reached["IWindowsDriverUpdate"].obj
    assert invoke_dispid(software, 0x60030001, 3, []) == get(software, "IUpdate2", "RebootRequired")
    assert invoke_dispid(driver, 0x60030001, 3, []) == get(
        driver, "IWindowsDriverUpdate", "DriverClass"
    )


@pytest.mark.parametrize(
    ("reached_as", "name", "dispid"),
    [
        ("IUpdate", "title", 0),
        ("IUpdate", "RebootRequired", 0x60030001),
        ("IWindowsDriverUpdate", "RebootRequired", 0x60040001),
        ("IUpdateSession", "CreateUpdateServiceManager", 0x60040001),
        ("IUpdateServiceManager", "SetOption", 0x60010007),
        ("IUpdateCollection", "_NewEnum", -4),
    ],
)
def test_get_ids_of_names(
    reached: dict[str, Sample], reached_as: str, name: str, dispid: int
) -> None:
    assert dispid_of_name(reached[reached_as].obj, name) == dispid


def test_an_unknown_name_is_disp_e_unknownname(reached: dict[str, Sample]) -> None:
    with pytest.raises(WuaError) as caught:
        dispid_of_name(reached["IUpdate"].obj, "DriverClass")  # a software update
    assert caught.value.hresult == DISP_E_UNKNOWNNAME
