"""Update history: IUpdateHistoryEntry(2), and the paging rules of QueryHistory.

The catalog stores HRESULTs as unsigned 32-bit numbers (as people write 0x80070643);
IUpdateHistoryEntry.HResult and UnmappedResultCode are LONGs, so they are handed out as
the signed value the wire carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from wua.criteria import Operator, Property, parse
from wua.emulator.catalog import HistoryEntry
from wua.emulator.wua.base import (
    GET,
    EmulatedObject,
    Field,
    FieldTable,
    HandlerTable,
    by_name,
    converted,
)
from wua.emulator.wua.categories import CategoryObject
from wua.emulator.wua.collections import (
    CategoryCollectionObject,
    UpdateHistoryEntryCollectionObject,
    strings,
)
from wua.emulator.wua.state import HostState
from wua.emulator.wua.updates import UpdateIdentityObject
from wua.errors import InvalidCriteria, error_for
from wua.reference.enums import ServerSelection
from wua.reference.hresults import WU_E_INVALIDINDEX
from wua.reference.wire_types import as_long


class UpdateHistoryEntryObject(EmulatedObject):
    INTERFACES = ("IUpdateHistoryEntry", "IUpdateHistoryEntry2")
    HANDLERS: ClassVar[HandlerTable] = {
        ("ServiceID", GET): "service_id",
        ("Categories", GET): "categories",
    }
    FIELDS: ClassVar[FieldTable] = {
        **by_name(
            "Operation",
            "ResultCode",
            "Date",
            "Title",
            "Description",
            "ClientApplicationID",
            "ServerSelection",
            "UninstallationNotes",
            "SupportUrl",
        ),
        "HResult": Field("hresult", as_long),
        **converted(as_long, "UnmappedResultCode"),
        **converted(UpdateIdentityObject, "UpdateIdentity"),
        **converted(strings, "UninstallationSteps"),
    }

    def __init__(self, state: HostState, entry: HistoryEntry) -> None:
        self.state = state
        self.source = entry
        self.entry = entry

    def service_id(self) -> str | None:
        """Meaningful only for ssOthers; NULL otherwise (MS-UAMG)."""
        if self.entry.server_selection is ServerSelection.ssOthers:
            return self.entry.service_id
        return None

    def categories(self) -> CategoryCollectionObject:
        catalog = self.state.catalog
        scope = catalog.searchable_updates
        return CategoryCollectionObject(
            CategoryObject(self.state, catalog.category(cid), scope)
            for cid in self.entry.categories
        )


def newest_first(entries: Sequence[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    """History order: by date, most recent first (index 0 = the newest event)."""
    return tuple(sorted(entries, key=lambda e: e.date, reverse=True))


def history_page(
    state: HostState, entries: Sequence[HistoryEntry], start: int, count: int, caller: str
) -> UpdateHistoryEntryCollectionObject:
    """Entries [start, start+count) of the newest-first history, clipped at the end.

    WU_E_INVALIDINDEX when start < 0 or count <= 0 (SDK) or start is past the last
    entry (MS-UAMG); a count beyond the end is clipped (not documented either way; the
    reference advises clipping, which is also what `QueryHistory(0, GetTotalHistoryCount())`
    callers rely on).
    """
    ordered = newest_first(entries)
    if start < 0 or count <= 0:
        raise error_for(
            WU_E_INVALIDINDEX, f"{caller}: startIndex {start} / count {count} must be >= 0 / > 0"
        )
    if start >= len(ordered):
        raise error_for(
            WU_E_INVALIDINDEX,
            f"{caller}: startIndex {start} is past the last of {len(ordered)} entries",
        )
    return UpdateHistoryEntryCollectionObject(
        UpdateHistoryEntryObject(state, e) for e in ordered[start : start + count]
    )


def history_matching(entries: Sequence[HistoryEntry], criteria: str) -> tuple[HistoryEntry, ...]:
    """IUpdateSession3.QueryHistory's filter.

    Empty criteria keep every entry. Otherwise the text must parse as search criteria
    (WU_E_INVALID_CRITERIA with the position otherwise) and, since the only criterion
    documented for history is `UpdateID = '<guid>'`, every term must be one; any other
    term is WU_E_INVALID_CRITERIA too. Groups joined by `or` select the union.
    """
    if not criteria.strip():
        return tuple(entries)
    parsed = parse(criteria)
    wanted: list[frozenset[str]] = []
    for group in parsed.groups:
        for term in group.terms:
            if term.name is not Property.UPDATE_ID or term.operator is not Operator.EQUAL:
                raise InvalidCriteria(
                    f"history criteria take only UpdateID = '<guid>', not "
                    f"{term.name.value} {term.operator.value}",
                    criteria=criteria,
                    position=max(criteria.lower().find(term.name.value.lower()), 0),
                )
        wanted.append(frozenset(str(t.value).lower() for t in group.terms))
    return tuple(e for e in entries if any(ids == {e.update_identity.update_id} for ids in wanted))
