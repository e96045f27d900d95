"""The remote rules: every item of design §1 is refused, everything else allowed."""

from __future__ import annotations

from typing import Any

import pytest

from wua.reference import (
    MemberKind,
    interface,
    may_call_remotely,
    remote_interfaces,
    restriction_for,
)

K = MemberKind

# Every item of design §1 "Not available remotely", plus the SDK method-page additions.
REFUSED = [
    ("IUpdateSession", "CreateUpdateDownloader", K.METHOD),
    ("IUpdateSession", "CreateUpdateInstaller", K.METHOD),
    ("IUpdateSession", "WebProxy", K.PROPGET),
    ("IUpdateSession", "WebProxy", K.PROPPUT),
    ("IUpdateSearcher", "BeginSearch", K.METHOD),
    ("IUpdateSearcher", "EndSearch", K.METHOD),
    ("IUpdate", "IsHidden", K.PROPPUT),
    ("IUpdate", "AcceptEula", K.METHOD),
    ("IUpdate", "CopyFromCache", K.METHOD),
    ("IUpdate2", "CopyToCache", K.METHOD),
    ("IWindowsDriverUpdate2", "CopyToCache", K.METHOD),
    ("IUpdateServiceManager", "AddService", K.METHOD),
    ("IUpdateServiceManager", "RegisterServiceWithAU", K.METHOD),
    ("IUpdateServiceManager", "UnregisterServiceWithAU", K.METHOD),
    ("IAutomaticUpdates", "Pause", K.METHOD),
    ("IAutomaticUpdates", "Resume", K.METHOD),
    ("IAutomaticUpdates", "ShowSettingsDialog", K.METHOD),
    ("IAutomaticUpdates", "EnableService", K.METHOD),
    ("IAutomaticUpdates", "Settings", K.PROPGET),
    ("IAutomaticUpdates", "ServiceEnabled", K.PROPGET),
    ("ISystemInformation", None, None),
    ("ISystemInformation", "RebootRequired", K.PROPGET),
    ("IUpdateServiceManager", "RemoveService", K.METHOD),
    ("IUpdateServiceManager", "AddScanPackageService", K.METHOD),
    ("IUpdateCollection", "Copy", K.METHOD),
    # inherited members are refused through every derived interface
    ("IWindowsDriverUpdate", "IsHidden", K.PROPPUT),
    ("IUpdate5", "AcceptEula", K.METHOD),
    ("IUpdateSession3", "CreateUpdateInstaller", K.METHOD),
    ("IUpdateServiceManager2", "AddScanPackageService", K.METHOD),
]

ALLOWED = [
    ("IUpdate", "IsHidden", K.PROPGET),
    ("IWindowsDriverUpdate2", "IsHidden", K.PROPGET),
    ("IUpdateSearcher", "Search", K.METHOD),
    ("IUpdateSearcher", "QueryHistory", K.METHOD),
    ("IUpdateSession", "CreateUpdateSearcher", K.METHOD),
    ("IAutomaticUpdates", "DetectNow", K.METHOD),
    ("IWindowsUpdateAgentInfo", "GetInfo", K.METHOD),
    ("IStringCollection", "Copy", K.METHOD),
    ("IUpdateServiceManager", "Services", K.PROPGET),
]


@pytest.mark.parametrize(("iface", "member", "kind"), REFUSED)
def test_refused(iface: str, member: str | None, kind: K | None) -> None:
    rule = restriction_for(iface, member, kind)
    assert rule is not None
    assert "remote" in rule.source.lower()
    assert rule.workaround
    assert not may_call_remotely(iface, member, kind)


@pytest.mark.parametrize(("iface", "member", "kind"), ALLOWED)
def test_allowed(iface: str, member: str, kind: K) -> None:
    interface(iface).member(member, kind)  # the member exists
    assert may_call_remotely(iface, member, kind)


def test_agrees_with_the_reference_flags(shared_reference: dict[str, Any]) -> None:
    """remote_restricted members and MS-UAMG NotUsedOnWire slots are all refused."""
    for iface in remote_interfaces():
        for m in iface.members:
            if m.remote_restricted or not m.on_wire:
                assert not may_call_remotely(iface.name, m.name, m.kind), (iface.name, m.name)


def test_only_listed_members_are_refused() -> None:
    """Nothing outside the table is refused: a remote reader can read every getter it lists."""
    refused = {
        (i.name, m.name, m.kind)
        for i in remote_interfaces()
        for m in i.members
        if not may_call_remotely(i.name, m.name, m.kind)
    }
    expected = {
        (i, m, k)
        for i, m, k in REFUSED
        if m is not None and i in {x.name for x in remote_interfaces()}
    }
    defined_here = {(i.name, m.name, m.kind) for i in remote_interfaces() for m in i.members}
    assert refused == expected & defined_here
