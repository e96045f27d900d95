"""Which coclasses a remote caller may create on the emulated host, and what it gets.

The root object is UpdateSession; UpdateServiceManager, AutomaticUpdates,
WindowsUpdateAgentInfo, UpdateSearcher and the two collection classes can be activated
directly as well (a build that refuses remote searches refuses the searcher class too). The downloader, installer, system-information, web-proxy and
installation-agent classes are refused (E_ACCESSDENIED) since none of their
interfaces is available remotely; an unknown CLSID is REGDB_E_CLASSNOTREG.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from wua.emulator.wua.agent_info import WindowsUpdateAgentInfoObject
from wua.emulator.wua.automatic_updates import AutomaticUpdatesObject
from wua.emulator.wua.base import EmulatedObject
from wua.emulator.wua.collections import StringCollectionObject, UpdateCollectionObject
from wua.emulator.wua.searcher import searcher_for_remote_caller
from wua.emulator.wua.services import UpdateServiceManagerObject
from wua.emulator.wua.session import UpdateSessionObject
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.coclasses import coclass
from wua.reference.hresults import E_ACCESSDENIED, REGDB_E_CLASSNOTREG
from wua.reference.remote import restriction_for

FACTORIES: Mapping[str, Callable[[HostState], EmulatedObject]] = MappingProxyType(
    {
        "UpdateSession": UpdateSessionObject,
        "UpdateServiceManager": UpdateServiceManagerObject,
        "AutomaticUpdates": AutomaticUpdatesObject,
        "WindowsUpdateAgentInfo": WindowsUpdateAgentInfoObject,
        "UpdateSearcher": searcher_for_remote_caller,
        "StringCollection": lambda _state: StringCollectionObject(read_only=False),
        "UpdateCollection": lambda _state: UpdateCollectionObject(read_only=False),
    }
)


def activate(state: HostState, clsid_or_name: str) -> EmulatedObject:
    """A new object of the coclass (CLSID, ProgID or name) for a remote caller."""
    try:
        cls = coclass(clsid_or_name)
    except KeyError:
        raise error_for(REGDB_E_CLASSNOTREG, f"class {clsid_or_name} is not registered") from None
    factory = FACTORIES.get(cls.name)
    if factory is None:
        rule = restriction_for(cls.default_interface)
        reason = rule.source if rule is not None else "not available remotely"
        raise error_for(E_ACCESSDENIED, f"{cls.progid}: {reason}")
    return factory(state)
