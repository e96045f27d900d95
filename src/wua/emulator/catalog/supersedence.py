"""Completes the supersedence between a host's updates, so that a search shows what
Windows Update would show.

WUA leaves a not-installed update out of a search when any update it knows supersedes it
(unless IncludePotentiallySupersededUpdates is set), whatever that superseding update's
own state. The KB data's supersedence is partial (one link per KB, some products with two
interleaved chains), so within each lineage (`Draft.lineage`) every update names the
newest older update of that lineage, by release date: a chain, which the search's rule
makes transitive, so only the newest of a lineage is offered. An optional (browse-only)
update, the cumulative update preview, replaces only older optional ones: the next
required cumulative update replaces the preview, never the other way round, so a preview
cannot hide the month's security update. Links already in a document (the KB data's real
ones) are kept first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from wua.emulator.catalog.families import Draft


def _optional(draft: Draft) -> bool:
    return bool(draft.document.get("browse_only", False))


def _order(draft: Draft) -> tuple[object, ...]:
    """Release date first; on one day the optional update is the older, then KB/ID order."""
    kbs = draft.document.get("kb_article_ids") or [""]
    return (draft.posted, not _optional(draft), kbs[0], draft.update_id)


def link_lineages(drafts: Sequence[Draft]) -> dict[str, tuple[str, ...]]:
    """UpdateID -> the UpdateIDs it supersedes within its lineage (see the module doc)."""
    newest_older: dict[tuple[str, bool], Draft] = {}
    links: dict[str, tuple[str, ...]] = {}
    for draft in sorted((d for d in drafts if d.lineage), key=_order):
        kinds = (True,) if _optional(draft) else (False, True)
        older = [newest_older.get((draft.lineage, optional)) for optional in kinds]
        links[draft.update_id] = tuple(o.update_id for o in older if o is not None)
        newest_older[(draft.lineage, _optional(draft))] = draft
    return links


def with_supersedence(drafts: Sequence[Draft]) -> list[Draft]:
    """The drafts, in the same order, each superseding the older updates of its lineage."""
    links = link_lineages(drafts)
    out = []
    for draft in drafts:
        added = links.get(draft.update_id, ())
        known = list(draft.document.get("superseded_update_ids", ()))
        merged = known + [uid for uid in added if uid not in known]
        if not merged:
            out.append(draft)
            continue
        out.append(replace(draft, document={**draft.document, "superseded_update_ids": merged}))
    return out
