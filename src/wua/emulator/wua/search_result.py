"""ISearchResult and IUpdateException: what a Search hands back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from wua.emulator.catalog import Update
from wua.emulator.wua.base import GET, EmulatedObject, Field, FieldTable, HandlerTable, by_name
from wua.emulator.wua.categories import root_categories
from wua.emulator.wua.collections import (
    CategoryCollectionObject,
    UpdateCollectionObject,
    UpdateExceptionCollectionObject,
)
from wua.emulator.wua.state import HostState, SearchWarning
from wua.emulator.wua.updates import UpdateObject
from wua.reference.enums import OperationResultCode
from wua.reference.wire_types import as_long


class UpdateExceptionObject(EmulatedObject):
    INTERFACES = ("IUpdateException",)
    FIELDS: ClassVar[FieldTable] = {
        **by_name("Message", "Context"),
        "HResult": Field("hresult", as_long),
    }

    def __init__(self, warning: SearchWarning) -> None:
        self.source = warning


class SearchResultObject(EmulatedObject):
    """orcSucceeded, or orcSucceededWithErrors when the search carries warnings."""

    INTERFACES = ("ISearchResult",)
    HANDLERS: ClassVar[HandlerTable] = {
        ("ResultCode", GET): "result_code",
        ("RootCategories", GET): "root_categories",
        ("Updates", GET): "updates",
        ("Warnings", GET): "warnings",
    }

    def __init__(
        self, state: HostState, found: Sequence[Update], warnings: Sequence[SearchWarning] = ()
    ) -> None:
        self.state = state
        self.found = tuple(found)
        self._warnings = tuple(warnings)
        # One object per result: a caller reading Updates twice gets the same collection
        # (and the exporter the same OID), as with WUA's own result objects.
        self._updates = UpdateCollectionObject(UpdateObject(state, u) for u in self.found)
        self._exceptions = UpdateExceptionCollectionObject(
            UpdateExceptionObject(w) for w in self._warnings
        )

    def result_code(self) -> OperationResultCode:
        if self._warnings:
            return OperationResultCode.orcSucceededWithErrors
        return OperationResultCode.orcSucceeded

    def root_categories(self) -> CategoryCollectionObject:
        return root_categories(self.state, self.found)

    def updates(self) -> UpdateCollectionObject:
        return self._updates

    def warnings(self) -> UpdateExceptionCollectionObject:
        return self._exceptions
