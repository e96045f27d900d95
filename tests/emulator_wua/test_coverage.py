"""Every readable member of every remote interface, read from a session on the default
catalog through `invoke`, agrees with the catalog (table in `expected.py`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from tests.emulator_wua.enriched import enriched_catalog
from tests.emulator_wua.expected import EXPECTED
from tests.emulator_wua.helpers import (
    GET,
    WARNING,
    drain,
    get,
    item_interface,
    items,
    obj,
)
from tests.emulator_wua.reach import Sample, reach_all
from wua.emulator.catalog import Catalog, Update
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import (
    OLE_ZERO_DATE,
    EmulatedObject,
    HostBehaviour,
    HostState,
    conforms,
    invoke,
)
from wua.reference import interface, remote_interfaces, restriction_for
from wua.reference.interfaces import Interface, Member, interfaces_by_name

EXTENSIONS = tuple(i for i in interfaces_by_name().values() if i.in_ms_uamg and not i.sdk_remote)


def readable(interfaces: tuple[Interface, ...]) -> list[tuple[str, str]]:
    return [
        (i.name, m.name)
        for i in interfaces
        for m in i.members
        if m.kind is GET and restriction_for(i.name, m.name, GET) is None
    ]


REMOTE_READABLE = readable(remote_interfaces())
EXTENSION_READABLE = readable(EXTENSIONS)

_KEYS: dict[str, Callable[[EmulatedObject], object]] = {
    "IUpdate": lambda o: get(obj(get(o, "IUpdate", "Identity")), "IUpdateIdentity", "UpdateID"),
    "IUpdateIdentity": lambda o: (
        get(o, "IUpdateIdentity", "UpdateID"),
        get(o, "IUpdateIdentity", "RevisionNumber"),
    ),
    "ICategory": lambda o: get(o, "ICategory", "CategoryID"),
    "IImageInformation": lambda o: get(o, "IImageInformation", "Source"),
    "IInstallationBehavior": lambda o: tuple(
        get(o, "IInstallationBehavior", m)
        for m in ("CanRequestUserInput", "Impact", "RebootBehavior", "RequiresNetworkConnectivity")
    ),
    "IUpdateDownloadContent": lambda o: get(o, "IUpdateDownloadContent", "DownloadUrl"),
    "IUpdateHistoryEntry": lambda o: (
        get(o, "IUpdateHistoryEntry", "Date"),
        get(o, "IUpdateHistoryEntry", "Title"),
    ),
    "IUpdateException": lambda o: get(o, "IUpdateException", "HResult"),
    "IUpdateService": lambda o: get(o, "IUpdateService", "ServiceID"),
    "IUpdateService2": lambda o: get(o, "IUpdateService", "ServiceID"),
    "IWindowsDriverUpdateEntry": lambda o: get(o, "IWindowsDriverUpdateEntry", "DriverHardwareID"),
    "IAutomaticUpdatesResults": lambda o: get(
        o, "IAutomaticUpdatesResults", "LastSearchSuccessDate"
    ),
    "IUpdateServiceRegistration": lambda o: get(o, "IUpdateServiceRegistration", "ServiceID"),
    "IStringCollection": lambda o: tuple(items(o, "IStringCollection")),
}


def plain(value: object, returns: str | None, owner: str) -> object:
    """What `invoke` returned, as the plain values `expected.py` speaks."""
    if value == OLE_ZERO_DATE:
        return "OLE day zero"
    if returns is None or not returns.endswith("*") or value is None:
        return value
    iface = returns[:-1]
    if iface == "IUnknown":  # _NewEnum: the items of the owning collection, by key
        item_type = interface(owner).member("Item", GET).returns
        return tuple(plain(v, item_type, owner) for v in drain(value))
    if iface.endswith("Collection") and iface != "IStringCollection":
        inner = item_interface(iface) + "*"
        return tuple(plain(v, inner, iface) for v in items(value, iface))
    if iface == "IStringCollection" and owner == "IStringCollection":
        return value
    return _KEYS[iface](obj(value))


CATALOGS: dict[str, Callable[[], Catalog]] = {
    "default": default_catalog,
    "enriched": enriched_catalog,
}


@pytest.fixture(scope="module", params=sorted(CATALOGS))
def samples(request: pytest.FixtureRequest) -> tuple[HostState, dict[str, Sample]]:
    """The shipped catalog, and a copy with every optional field filled in."""
    catalog = CATALOGS[request.param]()
    state = HostState(catalog, HostBehaviour(search_warnings=(WARNING,)))
    return state, reach_all(state)


def _read(sample: Sample, iface: str, member: Member) -> object:
    args = [0] if member.params else []
    return invoke(sample.obj, iface, member.name, GET, args)


def check_member(samples: tuple[HostState, dict[str, Sample]], iface: str, name: str) -> None:
    state, reached = samples
    assert iface in reached, f"no object reached for {iface}"
    sample = reached[iface]
    member = interface(iface).member(name, GET)
    value = _read(sample, iface, member)
    assert conforms(member.returns, value), f"{iface}.{name} returned {value!r}"
    expect = EXPECTED[(iface, name)]
    wanted = expect(sample.record, state.catalog)
    got = plain(value, member.returns, iface)
    if isinstance(wanted, frozenset):
        assert isinstance(got, tuple)
        got = frozenset(got)
    assert got == wanted, f"{iface}.{name}"


@pytest.mark.parametrize(
    ("iface", "name"), REMOTE_READABLE, ids=[f"{i}.{m}" for i, m in REMOTE_READABLE]
)
def test_remote_interface_member_reads_catalog(
    samples: tuple[HostState, dict[str, Sample]], iface: str, name: str
) -> None:
    check_member(samples, iface, name)


@pytest.mark.parametrize(
    ("iface", "name"), EXTENSION_READABLE, ids=[f"{i}.{m}" for i, m in EXTENSION_READABLE]
)
def test_ms_uamg_extension_member_reads_catalog(
    samples: tuple[HostState, dict[str, Sample]], iface: str, name: str
) -> None:
    check_member(samples, iface, name)


def test_the_lists_are_the_reference_ones() -> None:
    assert len(remote_interfaces()) == 26
    assert len(REMOTE_READABLE) > 120
    assert set(EXPECTED) == set(REMOTE_READABLE) | set(EXTENSION_READABLE)


def test_every_member_of_every_implemented_interface_has_a_handler_or_a_rule(
    samples: tuple[HostState, dict[str, Sample]],
) -> None:
    """No member of an interface an object claims falls through to E_NOTIMPL."""
    _, reached = samples
    missing = [
        f"{type(s.obj).__name__}: {iface}.{m.name} ({m.kind.value})"
        for s in {id(s): s for s in reached.values()}.values()
        for iface in s.obj.interfaces()
        for m in interface(iface).all_members()
        if s.obj.handler(m.name, m.kind) is None and restriction_for(iface, m.name, m.kind) is None
    ]
    assert missing == []


def test_the_enriched_samples_leave_no_field_empty() -> None:
    """Otherwise a property bound to the wrong (empty) field could still pass."""
    state = HostState(enriched_catalog(), HostBehaviour(search_warnings=(WARNING,)))
    reached = reach_all(state)
    allowed_empty = {
        "IUpdate": {"driver", "driver_entries", "per_user", "is_installed", "is_downloaded"},
        "IWindowsDriverUpdate": {
            "cve_ids",
            "security_bulletin_ids",
            "msrc_severity",
            "uninstallation_behavior",
            "deadline",
            "languages",
            "release_notes",
            "image",
            "recommended_cpu_speed",
            "recommended_hard_disk_space",
            "recommended_memory",
            "uninstallation_steps",
            "is_beta",
            "is_mandatory",
            "auto_select_on_web_sites",
            "per_user",
            "auto_selection",
            "auto_download",
            "delta_compressed_content_available",
            "can_require_source",
            "superseded_update_ids",
            "bundled_updates",
            "is_installed",
            "is_downloaded",
            "browse_only",
        },
    }
    for name, allowed in allowed_empty.items():
        record = reached[name].record
        assert isinstance(record, Update)
        empty = {f.name for f in dataclasses.fields(record) if not getattr(record, f.name)}
        assert empty <= allowed, (name, empty - allowed)
