"""Pending updates with their classification, from one Search: what `wua scan` prints.

    rows = await scan_pending(session)                      # "IsInstalled=0"
    rows = await scan_pending(session, "IsInstalled=0 and IsHidden=0", searcher=searcher)

Why this shape: a Search on a real host takes seconds to minutes, so a scan must search
once. Classification is not a property of IUpdate; reading every update's Categories
costs a collection walk and a CategoryID per category. In WUA a classification is a
*root* category, and a search result's RootCategories hold exactly that result's updates
(`ICategory.Updates`), so the rows are read from the classification categories'
updates: each update is read once and its classification is known by where it was
found. The result's own Updates collection is then only counted; when the count and
the distinct UpdateIDs found under classifications differ (an update classified
nowhere, or a host whose categories reach beyond the result), the result's updates are
matched by UpdateID and the missing ones read.

Knowing the classification also tells the update's Type (WUA files drivers, and only
drivers, under "Drivers"), which saves the Type read that IUpdate2's members otherwise
need first (see `RemoteObject._twin`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wua.reference.coclasses import classification as _classification
from wua.reference.coclasses import classifications
from wua.reference.enums import InstallationRebootBehavior, UpdateType

if TYPE_CHECKING:
    from wua.client.session import AsyncSession

DEFAULT_CRITERIA = "IsInstalled=0"
DRIVERS = _classification("Drivers").id


@dataclass(frozen=True)
class ScanRow:
    """One pending update with the default scan fields (plain data, no remote objects)."""

    title: str
    update_id: str
    revision_number: int
    kb_article_ids: tuple[str, ...]
    cve_ids: tuple[str, ...]
    msrc_severity: str | None
    classifications: tuple[str, ...]  # the reference's English names, in category order
    type: UpdateType
    min_download_size: Decimal
    max_download_size: Decimal
    reboot_behavior: InstallationRebootBehavior | None
    last_deployment_change_time: _dt.datetime | None

    @property
    def classification(self) -> str | None:
        """The first classification (WUA gives an update one), None when unclassified."""
        return self.classifications[0] if self.classifications else None


# ScanRow field -> attribute path on an IUpdate (read concurrently by `snapshot`)
ROW_PATHS: dict[str, str] = {
    "title": "title",
    "update_id": "identity.update_id",
    "revision_number": "identity.revision_number",
    "kb_article_ids": "kb_article_ids",
    "cve_ids": "cve_ids",
    "msrc_severity": "msrc_severity",
    "min_download_size": "min_download_size",
    "max_download_size": "max_download_size",
    "reboot_behavior": "installation_behavior.reboot_behavior",
    "last_deployment_change_time": "last_deployment_change_time",
}


async def scan_pending(
    session: AsyncSession, criteria: str = DEFAULT_CRITERIA, *, searcher: Any = None
) -> list[ScanRow]:
    """Search once with `criteria` and read every update found into a `ScanRow`.

    `searcher` is an IUpdateSearcher already set up (Online, ServerSelection,
    ServiceID); by default a new one from the session. Rows come grouped by
    classification in the host's category order, unclassified updates last.
    """
    if searcher is None:
        searcher = await session.update_session.create_update_searcher()
    return await scan_result(await searcher.search(criteria))


async def scan_result(result: Any) -> list[ScanRow]:
    """The rows of an ISearchResult (see the module docstring for the strategy)."""
    names = {c.id: c.name for c in classifications()}
    roots = await result.root_categories
    root_ids = await asyncio.gather(*(root.category_id for root in roots))
    classified = [
        (root, str(i).lower())
        for root, i in zip(roots, root_ids, strict=True)
        if str(i).lower() in names
    ]

    async def under(category: Any, category_id: str) -> list[ScanRow]:
        updates = await category.updates
        return list(
            await asyncio.gather(*(read_row(u, [names[category_id]], category_id) for u in updates))
        )

    async def count() -> int:
        return int(await (await result.collection("updates")).count)

    total, groups = await asyncio.gather(
        count(), asyncio.gather(*(under(c, i) for c, i in classified))
    )
    rows = _merge(row for group in groups for row in group)
    if len(rows) == total:
        return list(rows.values())
    return await _reconcile(result, rows)


async def read_row(
    update: Any, classification_names: list[str], classification_id: str | None
) -> ScanRow:
    """One update's row; its Type follows from the classification when there is one."""
    if classification_id is None:
        kind = UpdateType(int(await update.type))
    else:
        kind = UpdateType.utDriver if classification_id == DRIVERS else UpdateType.utSoftware
    update.assume_type(kind)
    values = await update.snapshot(ROW_PATHS.values())
    fields = {name: values[path] for name, path in ROW_PATHS.items()}
    return ScanRow(
        title=fields["title"] or "",
        update_id=str(fields["update_id"]).lower(),
        revision_number=int(fields["revision_number"]),
        kb_article_ids=tuple(str(k) for k in fields["kb_article_ids"] or ()),
        cve_ids=tuple(str(c) for c in fields["cve_ids"] or ()),
        msrc_severity=fields["msrc_severity"],
        classifications=tuple(classification_names),
        type=kind,
        min_download_size=Decimal(fields["min_download_size"] or 0),
        max_download_size=Decimal(fields["max_download_size"] or 0),
        reboot_behavior=fields["reboot_behavior"],
        last_deployment_change_time=fields["last_deployment_change_time"],
    )


def _merge(rows: Iterable[ScanRow]) -> dict[str, ScanRow]:
    """Rows by UpdateID; an update under two classifications keeps both names."""
    merged: dict[str, ScanRow] = {}
    for row in rows:
        seen = merged.get(row.update_id)
        if seen is None:
            merged[row.update_id] = row
        elif row.classifications[0] not in seen.classifications:
            merged[row.update_id] = dataclasses.replace(
                seen, classifications=seen.classifications + row.classifications
            )
    return merged


async def _reconcile(result: Any, rows: dict[str, ScanRow]) -> list[ScanRow]:
    """The result's updates by UpdateID: rows of classified ones kept, others read."""
    updates = await result.updates

    async def update_id(update: Any) -> str:
        return str(await (await update.identity).update_id).lower()

    ids = await asyncio.gather(*(update_id(u) for u in updates))
    missing = [u for u, i in zip(updates, ids, strict=True) if i not in rows]
    extra = await asyncio.gather(*(read_row(u, [], None) for u in missing))
    wanted = set(ids)
    return [row for i, row in rows.items() if i in wanted] + list(extra)
