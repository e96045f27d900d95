"""The emulator answers for any generated host, not only the default one, and each host's
state is its own."""

from __future__ import annotations

import pytest

from tests.emulator_wua.helpers import GET, call, get, items, obj, put
from wua.emulator.catalog import Catalog
from wua.emulator.catalog.fleet import generate_hosts
from wua.emulator.wua import EmulatedObject, HostState, activate, conforms, interface_ids, invoke
from wua.reference import interface, restriction_for
from wua.reference.coclasses import all_coclasses
from wua.reference.enums import DeploymentAction
from wua.reference.interfaces import IDISPATCH_IID, IUNKNOWN_IID

HOSTS = generate_hosts(6, seed=2026)


def read_everything(target: EmulatedObject, depth: int = 0) -> int:
    """Read every readable scalar member of `target` and, one level down, of the objects
    it hands out; every value must conform to its declared type. Returns the count."""
    count = 0
    for name in target.interfaces():
        for member in interface(name).members:
            if member.kind is not GET or restriction_for(name, member.name, GET) is not None:
                continue
            if member.params:
                continue
            value = invoke(target, name, member.name, GET, [])
            assert conforms(member.returns, value), (name, member.name, value)
            count += 1
            if depth == 0 and isinstance(value, EmulatedObject):
                count += read_everything(value, depth + 1)
    return count


@pytest.mark.parametrize("catalog", HOSTS, ids=[h.host.name for h in HOSTS])
def test_every_update_of_a_generated_host_reads_cleanly(catalog: Catalog) -> None:
    state = HostState(catalog)
    searcher = obj(
        call(activate(state, "Microsoft.Update.Session"), "IUpdateSession", "CreateUpdateSearcher")
    )
    put(searcher, "IUpdateSearcher", "IncludePotentiallySupersededUpdates", True)
    result = obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0 or IsInstalled=1"))
    updates = items(get(result, "ISearchResult", "Updates"), "IUpdateCollection")
    installable = [
        u
        for u in catalog.searchable_updates
        if u.deployment_action is DeploymentAction.daInstallation
    ]
    assert len(updates) == len(installable)
    reads = sum(read_everything(obj(u)) for u in updates)
    assert reads > 50 * len(updates)
    total = call(searcher, "IUpdateSearcher", "GetTotalHistoryCount")
    assert total == len(catalog.history)
    if catalog.history:
        history = call(searcher, "IUpdateSearcher", "QueryHistory", 0, total)
        for entry in items(history, "IUpdateHistoryEntryCollection"):
            read_everything(obj(entry))


def test_hosts_do_not_share_state() -> None:
    first, second = HostState(HOSTS[0]), HostState(HOSTS[1])
    call(activate(first, "Microsoft.Update.AutoUpdate"), "IAutomaticUpdates", "DetectNow")
    assert len(first.detections) == 1
    assert second.detections == []


ACTIVATABLE = [
    "UpdateSession",
    "UpdateServiceManager",
    "AutomaticUpdates",
    "WindowsUpdateAgentInfo",
    "UpdateSearcher",
    "StringCollection",
    "UpdateCollection",
]


@pytest.mark.parametrize("name", ACTIVATABLE)
def test_an_activated_object_implements_its_coclass(name: str) -> None:
    cls = all_coclasses()[name]
    made = activate(HostState(HOSTS[0]), cls.clsid.upper())
    wanted = {interface(i).iid for i in cls.interfaces} | {IUNKNOWN_IID, IDISPATCH_IID}
    assert interface_ids(made) == wanted
    assert activate(HostState(HOSTS[0]), cls.progid).interfaces() == made.interfaces()
