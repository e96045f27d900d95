"""The client's pure layers: names, value conversion, remote rules, the ping schedule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wua.client.naming import class_name, snake_case
from wua.client.objects import classes, interface_class, object_class, readable_fields
from wua.client.ping import Pinger, PingUpdate
from wua.client.rules import check_remote
from wua.client.transport import HostAddress
from wua.client.values import from_variant, to_variant
from wua.dcom.oaut import InterfacePointer, Variant, VarType
from wua.errors import NotAvailableRemotely, WuaError
from wua.reference.enums import InstallationRebootBehavior, UpdateType
from wua.reference.interfaces import MemberKind, remote_interfaces
from wua.reference.remote import RESTRICTIONS

NAMES = [
    ("KBArticleIDs", "kb_article_ids"),
    ("CveIDs", "cve_ids"),
    ("UpdateID", "update_id"),
    ("HResult", "hresult"),
    ("IsRegisteredWithAU", "is_registered_with_au"),
    ("LastDeploymentChangeTime", "last_deployment_change_time"),
    ("DriverHardwareID", "driver_hardware_id"),
    ("MsrcSeverity", "msrc_severity"),
]


@pytest.mark.parametrize(("member", "name"), NAMES)
def test_snake_case(member: str, name: str) -> None:
    assert snake_case(member) == name


def test_every_interface_member_gets_a_distinct_attribute() -> None:
    for iface in remote_interfaces():
        cls = interface_class(iface.name)
        assert cls.__name__ == class_name(iface.name)
        for member in iface.all_members():
            if member.name == "_NewEnum":
                continue
            attr = snake_case(member.name)
            if member.kind is MemberKind.PROPPUT and len(member.params) > 1:
                attr = f"set_{attr}"
            assert hasattr(cls, attr), f"{iface.name}.{member.name}"
    assert len(classes()) == 26


def test_static_types_pick_the_newest_remote_version() -> None:
    assert object_class("IUpdate").INTERFACE.name == "IUpdate2"
    assert object_class("IUpdateSession").INTERFACE.name == "IUpdateSession2"
    assert object_class("IWindowsDriverUpdate").INTERFACE.name == "IWindowsDriverUpdate2"
    assert object_class("ICategory").INTERFACE.name == "ICategory"
    assert "is_hidden" in readable_fields(object_class("IUpdate"))


class _Maker:
    def make(self, pointer: InterfacePointer, interface: str | None) -> object:
        return ("object", interface, pointer.objref)


UTC_NOON = dt.datetime(2025, 9, 9, 12, tzinfo=dt.UTC)
# (reference type, VARIANT as it arrives, Python value)
FROM_WIRE: list[tuple[str | None, Variant, Any]] = [
    ("BSTR", Variant(VarType.VT_BSTR, "Title"), "Title"),
    ("BSTR", Variant(VarType.VT_BSTR, None), None),
    ("BSTR", Variant(VarType.VT_BSTR, ""), None),
    ("LONG", Variant(VarType.VT_I4, -5), -5),
    ("VARIANT_BOOL", Variant(VarType.VT_BOOL, True), True),
    ("DATE", Variant(VarType.VT_DATE, dt.datetime(2025, 9, 9, 12)), UTC_NOON),
    ("DECIMAL", Variant(VarType.VT_DECIMAL, Decimal("317469685")), Decimal("317469685")),
    ("enum:UpdateType", Variant(VarType.VT_I4, 2), UpdateType.utDriver),
    (
        "enum:InstallationRebootBehavior",
        Variant(VarType.VT_I4, 1),
        InstallationRebootBehavior.irbAlwaysRequiresReboot,
    ),
    ("enum:UpdateType", Variant(VarType.VT_I4, 77), 77),  # newer than the reference
    (
        "IUpdate*",
        Variant(VarType.VT_DISPATCH, InterfacePointer(b"ref")),
        ("object", "IUpdate", b"ref"),
    ),
    ("IImageInformation*", Variant(VarType.VT_DISPATCH, None), None),
    ("VARIANT", Variant(VarType.VT_EMPTY), None),
    (None, Variant(VarType.VT_NULL), None),
]


@pytest.mark.parametrize(("type_name", "variant", "value"), FROM_WIRE)
def test_from_variant(type_name: str | None, variant: Variant, value: Any) -> None:
    got = from_variant(variant, type_name, _Maker())
    assert got == value and type(got) is type(value)


TO_WIRE: list[tuple[str, Any, Variant]] = [
    ("BSTR", "IsInstalled=0", Variant(VarType.VT_BSTR, "IsInstalled=0")),
    ("LONG", 3, Variant(VarType.VT_I4, 3)),
    ("enum:ServerSelection", 2, Variant(VarType.VT_I4, 2)),
    ("VARIANT_BOOL", 0, Variant(VarType.VT_BOOL, False)),
    ("DECIMAL", 5, Variant(VarType.VT_DECIMAL, Decimal(5))),
]


@pytest.mark.parametrize(("type_name", "value", "variant"), TO_WIRE)
def test_to_variant(type_name: str, value: Any, variant: Variant) -> None:
    assert to_variant(value, type_name) == variant


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 1, 1)))
def test_dates_come_back_as_utc(moment: dt.datetime) -> None:
    got = from_variant(Variant(VarType.VT_DATE, moment), "DATE", _Maker())
    assert got.tzinfo is dt.UTC and got.replace(tzinfo=None) == moment


@given(st.text())
def test_bstr_round_trip_or_none(text: str) -> None:
    variant = to_variant(text, "BSTR")
    assert from_variant(variant, "BSTR", _Maker()) == (text or None)


def test_every_rule_of_the_table_is_refused_with_its_workaround() -> None:
    for rule in RESTRICTIONS:
        if rule.member is None:
            continue
        kind = next(iter(rule.kinds))
        with pytest.raises(NotAvailableRemotely) as caught:
            check_remote(rule.interface, rule.member, kind, "h")
        assert caught.value.workaround == rule.workaround
        assert caught.value.stage == "client rules" and caught.value.host == "h"
    check_remote("IUpdateSearcher", "Search", MemberKind.METHOD, "h")  # allowed: no raise


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        ("srv", "srv", 135),
        ("10.0.0.5:1135", "10.0.0.5", 1135),
        ("[::1]:99", "::1", 99),
        ("[fe80::1]", "fe80::1", 135),
        ("::1", "::1", 135),
    ],
)
def test_host_address(text: str, host: str, port: int) -> None:
    assert HostAddress.parse(text) == HostAddress(host, port)


class _Clock:
    """An injected sleep: records the waits and lets the test run ticks at will."""

    def __init__(self, ticks: int) -> None:
        self.waits: list[float] = []
        self.ticks = ticks

    async def sleep(self, seconds: float) -> None:
        if len(self.waits) == self.ticks:
            raise _Done
        self.waits.append(seconds)


class _Done(Exception):
    pass


async def test_pinger_adds_then_simple_pings_then_removes() -> None:
    sent: list[object] = []

    async def complex_ping(update: PingUpdate) -> int:
        sent.append(update)
        return 77

    async def simple_ping(set_id: int) -> None:
        sent.append(("simple", set_id))

    clock = _Clock(ticks=2)
    pinger = Pinger(complex_ping, simple_ping, period=30.0, sleep=clock.sleep)
    await pinger.tick()  # nothing to ping yet
    assert sent == []
    pinger.add(5)
    pinger.add(6)
    with pytest.raises(_Done):
        await pinger.run()
    assert clock.waits == [30.0, 30.0]
    assert sent == [PingUpdate(0, 1, (5, 6), ()), ("simple", 77)]
    pinger.remove(5)
    pinger.add(9)
    await pinger.tick()
    assert sent[-1] == PingUpdate(77, 2, (9,), (5,))
    assert pinger.members == frozenset({6, 9}) and pinger.pings == 3


async def test_pinger_survives_a_failed_ping_and_retries_its_changes() -> None:
    attempts: list[PingUpdate] = []

    async def flaky(update: PingUpdate) -> int:
        attempts.append(update)
        if len(attempts) < 3:
            raise WuaError("down")
        return 3

    async def simple_ping(set_id: int) -> None:
        attempts.append(PingUpdate(set_id, 0, (), ()))

    clock = _Clock(ticks=4)
    pinger = Pinger(flaky, simple_ping, period=1.0, sleep=clock.sleep)
    pinger.add(1)
    with pytest.raises(_Done):
        await pinger.run()
    assert isinstance(pinger.last_error, WuaError)
    assert [a.add for a in attempts] == [(1,), (1,), (1,), ()]  # retried until delivered
    assert pinger.members == frozenset({1}) and pinger.set_id == 3
