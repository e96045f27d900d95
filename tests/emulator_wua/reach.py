"""Reach one object of every remotely reachable interface from a session, through
`invoke` only, and remember the catalog record each one stands for."""

from __future__ import annotations

from dataclasses import dataclass

from tests.emulator_wua.helpers import call, get, obj, put
from wua.emulator.catalog import Catalog, Update
from wua.emulator.wua import EmulatedObject, HostState, activate
from wua.reference.enums import UpdateType


@dataclass(frozen=True)
class Sample:
    obj: EmulatedObject
    record: object


def richest(updates: list[Update]) -> Update:
    """The update with the most non-empty fields: the strictest sample."""
    return max(updates, key=lambda u: sum(bool(getattr(u, f)) for f in vars(u)))


def found_by_id(searcher: EmulatedObject, update: Update) -> EmulatedObject:
    result = obj(call(searcher, "IUpdateSearcher", "Search", f"UpdateID='{update.update_id}'"))
    updates = obj(get(result, "ISearchResult", "Updates"))
    assert get(updates, "IUpdateCollection", "Count") == 1
    return obj(get(updates, "IUpdateCollection", "Item", 0))


def reach_all(state: HostState) -> dict[str, Sample]:
    catalog: Catalog = state.catalog
    out: dict[str, Sample] = {}

    def add(names: tuple[str, ...], sample: Sample) -> None:
        for name in names:
            out[name] = sample

    session = activate(state, "Microsoft.Update.Session")
    add(("IUpdateSession", "IUpdateSession2", "IUpdateSession3"), Sample(session, None))
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    put(searcher, "IUpdateSearcher", "IncludePotentiallySupersededUpdates", True)
    add(("IUpdateSearcher", "IUpdateSearcher2", "IUpdateSearcher3"), Sample(searcher, None))

    pending = tuple(u for u in catalog.searchable_updates if not u.is_installed)
    result = obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0"))
    add(("ISearchResult",), Sample(result, pending))
    add(("IUpdateCollection",), Sample(obj(get(result, "ISearchResult", "Updates")), pending))
    warnings = obj(get(result, "ISearchResult", "Warnings"))
    add(("IUpdateExceptionCollection",), Sample(warnings, state.behaviour.search_warnings))
    if state.behaviour.search_warnings:
        first_warning = obj(get(warnings, "IUpdateExceptionCollection", "Item", 0))
        add(("IUpdateException",), Sample(first_warning, state.behaviour.search_warnings[0]))

    software = richest([u for u in catalog.updates if u.type is UpdateType.utSoftware])
    update = found_by_id(searcher, software)
    add(("IUpdate", "IUpdate2", "IUpdate3", "IUpdate4", "IUpdate5"), Sample(update, software))
    add(("IUpdateIdentity",), Sample(obj(get(update, "IUpdate", "Identity")), software.identity))
    add(
        ("IInstallationBehavior",),
        Sample(obj(get(update, "IUpdate", "InstallationBehavior")), software.installation_behavior),
    )
    add(
        ("IStringCollection",),
        Sample(obj(get(update, "IUpdate", "KBArticleIDs")), software.kb_article_ids),
    )
    contents = obj(get(update, "IUpdate", "DownloadContents"))
    add(("IUpdateDownloadContentCollection",), Sample(contents, software.download_contents))
    add(
        ("IUpdateDownloadContent", "IUpdateDownloadContent2"),
        Sample(
            obj(get(contents, "IUpdateDownloadContentCollection", "Item", 0)),
            software.download_contents[0],
        ),
    )
    categories = obj(get(update, "IUpdate", "Categories"))
    direct = tuple(catalog.category(c) for c in software.categories)
    add(("ICategoryCollection",), Sample(categories, direct))
    product = next(c for c in direct if c.parent is not None)
    product_obj = next(
        obj(get(categories, "ICategoryCollection", "Item", i))
        for i, c in enumerate(direct)
        if c is product
    )
    add(("ICategory",), Sample(product_obj, product))

    with_image = next(u for u in catalog.updates if u.image is not None)
    image = obj(get(found_by_id(searcher, with_image), "IUpdate", "Image"))
    add(("IImageInformation",), Sample(image, with_image.image))

    driver = richest([u for u in catalog.updates if u.type is UpdateType.utDriver])
    driver_obj = found_by_id(searcher, driver)
    add(
        (
            "IWindowsDriverUpdate",
            "IWindowsDriverUpdate2",
            "IWindowsDriverUpdate3",
            "IWindowsDriverUpdate4",
            "IWindowsDriverUpdate5",
        ),
        Sample(driver_obj, driver),
    )
    entries = obj(get(driver_obj, "IWindowsDriverUpdate4", "WindowsDriverUpdateEntries"))
    expected_entries = driver.driver_entries or (driver.driver,)
    add(("IWindowsDriverUpdateEntryCollection",), Sample(entries, expected_entries))
    add(
        ("IWindowsDriverUpdateEntry",),
        Sample(
            obj(get(entries, "IWindowsDriverUpdateEntryCollection", "Item", 0)),
            expected_entries[0],
        ),
    )

    newest = tuple(sorted(catalog.history, key=lambda e: e.date, reverse=True))
    history = obj(call(searcher, "IUpdateSearcher", "QueryHistory", 0, 5))
    add(("IUpdateHistoryEntryCollection",), Sample(history, newest[:5]))
    add(
        ("IUpdateHistoryEntry", "IUpdateHistoryEntry2"),
        Sample(obj(get(history, "IUpdateHistoryEntryCollection", "Item", 0)), newest[0]),
    )

    manager = obj(call(session, "IUpdateSession3", "CreateUpdateServiceManager"))
    add(("IUpdateServiceManager", "IUpdateServiceManager2"), Sample(manager, None))
    services = obj(get(manager, "IUpdateServiceManager", "Services"))
    add(("IUpdateServiceCollection",), Sample(services, catalog.services))
    index = next(i for i, s in enumerate(catalog.services) if s.is_default_au_service)
    add(
        ("IUpdateService", "IUpdateService2"),
        Sample(
            obj(get(services, "IUpdateServiceCollection", "Item", index)), catalog.services[index]
        ),
    )
    registration = obj(
        call(
            manager,
            "IUpdateServiceManager2",
            "QueryServiceRegistration",
            catalog.default_service.service_id.upper(),
        )
    )
    add(("IUpdateServiceRegistration",), Sample(registration, catalog.default_service))

    automatic = activate(state, "Microsoft.Update.AutoUpdate")
    add(("IAutomaticUpdates", "IAutomaticUpdates2"), Sample(automatic, catalog.automatic_updates))
    add(
        ("IAutomaticUpdatesResults",),
        Sample(obj(get(automatic, "IAutomaticUpdates2", "Results")), catalog.automatic_updates),
    )
    add(
        ("IWindowsUpdateAgentInfo",),
        Sample(activate(state, "Microsoft.Update.AgentInfo"), catalog.agent),
    )
    return out
