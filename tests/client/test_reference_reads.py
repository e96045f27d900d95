"""Generated from the reference: every readable member of every one of the 26 remote
interfaces, read through the client from an emulated host, equals the catalog's value.

The expected values come from `tests/emulator_wua/expected.py`, written from the catalog
records independently of both the emulator's bindings and this client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import pytest

import wua
from tests.client.hosts import ADMIN
from tests.emulator_wua.enriched import enriched_catalog
from tests.emulator_wua.expected import EXPECTED
from tests.emulator_wua.helpers import WARNING
from tests.emulator_wua.reach import richest
from wua.client.objects import RemoteCollection, RemoteList, RemoteObject
from wua.client.session import AsyncSession
from wua.emulator.catalog import Catalog
from wua.emulator.server import EmulatedFleet, HostConfig
from wua.emulator.wua import HostBehaviour
from wua.reference import remote_interfaces, restriction_for
from wua.reference.enums import UpdateType
from wua.reference.interfaces import MemberKind

GET = MemberKind.PROPGET
READABLE = [
    (i.name, m.name)
    for i in remote_interfaces()
    for m in i.members
    if m.kind is GET and restriction_for(i.name, m.name, GET) is None
]
OLE_ZERO = dt.datetime(1899, 12, 30, tzinfo=dt.UTC)


async def _key(obj: RemoteObject) -> object:
    """How expected.py names an object: by its identifying field(s)."""
    name = obj.INTERFACE.name.rstrip("0123456789")
    keys: dict[str, Callable[[Any], Any]] = {
        "IUpdate": lambda o: _identity(o),
        "IWindowsDriverUpdate": lambda o: _identity(o),
        "IUpdateIdentity": lambda o: _both(o.update_id, o.revision_number),
        "ICategory": lambda o: o.category_id,
        "IImageInformation": lambda o: o.source,
        "IInstallationBehavior": lambda o: _all(
            o.can_request_user_input, o.impact, o.reboot_behavior, o.requires_network_connectivity
        ),
        "IUpdateDownloadContent": lambda o: o.download_url,
        "IUpdateHistoryEntry": lambda o: _both(o.date, o.title),
        "IUpdateException": lambda o: o.hresult,
        "IUpdateService": lambda o: o.service_id,
    }
    return _plain(await keys[name](obj))


async def _identity(update: Any) -> object:
    return await (await update.identity).update_id


async def _both(a: Any, b: Any) -> tuple[Any, ...]:
    return (await a, await b)


async def _all(*values: Any) -> tuple[Any, ...]:
    return tuple([await v for v in values])


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return "OLE day zero" if value == OLE_ZERO else value
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


async def plain(value: Any) -> Any:
    """A client value in the plain form expected.py speaks."""
    if isinstance(value, list):
        return tuple([await plain(v) for v in value])
    if isinstance(value, RemoteObject):
        return await _key(value)
    return _plain(value)


def same(got: Any, wanted: Any) -> bool:
    if isinstance(wanted, frozenset):
        return isinstance(got, tuple) and frozenset(got) == wanted
    if got is None and wanted == "":  # an empty BSTR reads as None
        return True
    if isinstance(got, Decimal) and isinstance(wanted, int):
        return got == wanted
    return bool(got == wanted)


Samples = dict[str, tuple[RemoteObject, object]]


def source(items: RemoteList) -> RemoteObject:
    """The remote collection a list was read from (every list the client returns has one)."""
    assert items.source is not None, "a RemoteList without its collection"
    return items.source


async def reach(session: AsyncSession, catalog: Catalog) -> Samples:
    """One object of every remote interface, reached the way a user would."""
    out: Samples = {}
    update_session = session.update_session
    out["IUpdateSession"] = out["IUpdateSession2"] = (update_session, None)
    searcher = await update_session.create_update_searcher()
    await searcher.set("include_potentially_superseded_updates", True)
    out["IUpdateSearcher"] = (searcher, None)
    pending = tuple(u for u in catalog.searchable_updates if not u.is_installed)
    result = await searcher.search("IsInstalled=0")
    out["ISearchResult"] = (result, pending)
    updates: RemoteList = await result.updates
    out["IUpdateCollection"] = (source(updates), pending)
    warnings: RemoteList = await result.warnings
    out["IUpdateExceptionCollection"] = (source(warnings), (WARNING,))
    out["IUpdateException"] = (warnings[0], WARNING)

    async def by_id(update_id: str) -> Any:
        found = await (await searcher.search(f"UpdateID='{update_id}'")).updates
        return found[0]

    software = richest([u for u in catalog.updates if u.type is UpdateType.utSoftware])
    update = await by_id(software.update_id)
    out["IUpdate"] = out["IUpdate2"] = (update, software)
    out["IUpdateIdentity"] = (await update.identity, software.identity)
    out["IInstallationBehavior"] = (
        await update.installation_behavior,
        software.installation_behavior,
    )
    kbs: RemoteList = await update.kb_article_ids
    out["IStringCollection"] = (source(kbs), software.kb_article_ids)
    contents: RemoteList = await update.download_contents
    out["IUpdateDownloadContentCollection"] = (source(contents), software.download_contents)
    out["IUpdateDownloadContent"] = (contents[0], software.download_contents[0])
    categories: RemoteList = await update.categories
    direct = tuple(catalog.category(c) for c in software.categories)
    out["ICategoryCollection"] = (source(categories), direct)
    product = next(i for i, c in enumerate(direct) if c.parent is not None)
    out["ICategory"] = (categories[product], direct[product])
    with_image = next(u for u in catalog.updates if u.image is not None)
    out["IImageInformation"] = (await (await by_id(with_image.update_id)).image, with_image.image)
    driver = richest([u for u in catalog.updates if u.type is UpdateType.utDriver])
    driver_obj = (await by_id(driver.update_id)).cast("IWindowsDriverUpdate2")
    out["IWindowsDriverUpdate"] = out["IWindowsDriverUpdate2"] = (driver_obj, driver)
    newest = tuple(sorted(catalog.history, key=lambda e: e.date, reverse=True))
    history: RemoteList = await searcher.query_history(0, 5)
    out["IUpdateHistoryEntryCollection"] = (source(history), newest[:5])
    out["IUpdateHistoryEntry"] = (history[0], newest[0])
    manager = await session.service_manager()
    out["IUpdateServiceManager"] = (manager, None)
    services: RemoteList = await manager.services
    out["IUpdateServiceCollection"] = (source(services), catalog.services)
    index = next(i for i, s in enumerate(catalog.services) if s.is_default_au_service)
    out["IUpdateService"] = (services[index], catalog.services[index])
    out["IAutomaticUpdates"] = (await session.automatic_updates(), catalog.automatic_updates)
    out["IWindowsUpdateAgentInfo"] = (await session.agent_info(), catalog.agent)
    return out


async def read(target: RemoteObject, iface: str, name: str) -> Any:
    typed = target.cast(iface)
    if name == "Item":
        return await typed.item(0)  # type: ignore[attr-defined]
    if name == "_NewEnum":
        assert isinstance(typed, RemoteCollection)
        member = typed.INTERFACE.member("Item", GET)
        return await typed._enumerate(member.returns)
    return await typed.get(_attr(iface, name))


def _attr(iface: str, name: str) -> str:
    from wua.client.naming import snake_case

    return snake_case(name)


@asynccontextmanager
async def _host(catalog: Catalog, address: str) -> AsyncIterator[AsyncSession]:
    config = HostConfig(
        address, catalog, resolver_port=0, behaviour=HostBehaviour(search_warnings=(WARNING,))
    )
    async with EmulatedFleet([config]) as fleet:
        port = fleet.hosts[0].resolver_port
        async with wua.aio.connect(f"{address}:{port}", *ADMIN) as session:
            yield session


@pytest.mark.parametrize("which", ["default", "enriched"])
async def test_every_readable_member_of_the_26_interfaces(which: str) -> None:
    from wua.emulator.catalog.default import default_catalog

    catalog = default_catalog() if which == "default" else enriched_catalog()
    address = "127.0.54.1" if which == "default" else "127.0.54.2"
    async with _host(catalog, address) as session:
        samples = await reach(session, catalog)
        assert {i.name for i in remote_interfaces()} <= samples.keys()
        wrong = []
        for iface, name in READABLE:
            target, record = samples[iface]
            try:
                got = await plain(await read(target, iface, name))
            except Exception as exc:  # collected: one report for every member
                wrong.append(f"{iface}.{name}: {exc!r}")
                continue
            wanted = EXPECTED[(iface, name)](record, catalog)
            if not same(got, wanted):
                wrong.append(f"{iface}.{name}: {got!r} != {wanted!r}")
        assert not wrong, "\n".join(wrong)
        assert len(READABLE) >= 140  # the reference lists 143 today
