from __future__ import annotations

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig


def test_walk_title() -> None:
    with FleetThread([HostConfig("127.0.0.5", default_catalog())]):
        dcom = ic.connect("127.0.0.5", "Administrator", "Passw0rd!")
        try:
            session = ic.create(dcom)
            searcher = ic.value_of(
                session, ic.call(session, "CreateUpdateSearcher", flags=ic.DISPATCH_METHOD)
            )
            result = ic.value_of(
                searcher,
                ic.call(searcher, "Search", ic.bstr("IsInstalled=0"), flags=ic.DISPATCH_METHOD),
            )
            updates = ic.get(result, "Updates")
            count = ic.get(updates, "Count")
            first = ic.value_of(updates, ic.call(updates, "Item", ic.long(0)))
            print(count, ic.get(first, "Title"))
            assert count > 0
        finally:
            ic.disconnect(dcom, "127.0.0.5")
