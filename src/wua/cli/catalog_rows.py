"""Rows of pending updates read straight from an emulated host's catalog (no network).

Pending means what WUA's own default search means, `IsInstalled=0 and IsHidden=0`,
evaluated by the same criteria engine the emulator answers Search with, so the demo
shows exactly what a scan of the emulated host will return.
"""

from __future__ import annotations

from wua.cli.render import UpdateRow
from wua.criteria import parse, select
from wua.emulator.catalog import Catalog, CategoryType, Update

PENDING_CRITERIA = "IsInstalled=0 and IsHidden=0"


def classification(catalog: Catalog, update: Update) -> str:
    for category_id in update.categories:
        category = catalog.category(category_id)
        if category.type is CategoryType.UPDATE_CLASSIFICATION:
            return category.name
    return ""


def update_row(catalog: Catalog, update: Update) -> UpdateRow:
    return UpdateRow(
        kb=update.kb_article_ids[0] if update.kb_article_ids else "",
        title=update.title,
        classification=classification(catalog, update),
        msrc_severity=update.msrc_severity,
        size_bytes=int(update.max_download_size),
        reboot=update.installation_behavior.reboot_behavior,
        cve_count=len(update.cve_ids),
        update_id=update.update_id,
        revision_number=update.revision_number,
    )


def pending_rows(catalog: Catalog, criteria: str = PENDING_CRITERIA) -> tuple[UpdateRow, ...]:
    chosen = select(parse(criteria), catalog.searchable_updates)
    return tuple(update_row(catalog, u) for u in chosen)
