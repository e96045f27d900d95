"""WUA's collections: read-only ones returned by calls, and the two writable kinds.

Every collection answers Item, `_NewEnum` and Count. IStringCollection and
IUpdateCollection add ReadOnly and the editing methods; collections the host returns
(an update's KBArticleIDs, a search's Updates) are read-only and refuse edits with
WU_E_NOT_SUPPORTED (SDK page of IUpdateCollection::Add), while a collection a caller
activated (Microsoft.Update.StringColl / UpdateColl) or got from IStringCollection::Copy
is writable. An index outside [0, Count) answers WU_E_INVALIDINDEX.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from wua.emulator.wua.base import CALL, GET, PUT, EmulatedObject, HandlerTable
from wua.emulator.wua.enumerator import Enumerator
from wua.errors import error_for
from wua.reference.hresults import WU_E_INVALIDINDEX, WU_E_NOT_SUPPORTED


class ItemCollection(EmulatedObject):
    """A read-only list of items; subclasses name the interface and the item type."""

    HANDLERS: ClassVar[HandlerTable] = {
        ("Item", GET): "item",
        ("_NewEnum", GET): "new_enum",
        ("Count", GET): "count",
    }

    def __init__(self, items: Iterable[object] = ()) -> None:
        self._items: list[object] = list(items)

    @property
    def items(self) -> tuple[object, ...]:
        return tuple(self._items)

    def _check_index(self, index: int, *, upper: int | None = None) -> None:
        limit = len(self._items) if upper is None else upper
        if not 0 <= index < limit:
            raise error_for(
                WU_E_INVALIDINDEX,
                f"{self.interfaces()[0]}: index {index} is outside 0..{limit - 1}",
            )

    def item(self, index: int) -> object:
        self._check_index(index)
        return self._items[index]

    def new_enum(self) -> Enumerator:
        return Enumerator(tuple(self._items))

    def count(self) -> int:
        return len(self._items)


class EditableCollection(ItemCollection):
    """IStringCollection / IUpdateCollection: editable unless the host made it read-only."""

    HANDLERS: ClassVar[HandlerTable] = {
        ("Item", PUT): "set_item",
        ("ReadOnly", GET): "read_only",
        ("Add", CALL): "add",
        ("Clear", CALL): "clear",
        ("Copy", CALL): "copy",
        ("Insert", CALL): "insert",
        ("RemoveAt", CALL): "remove_at",
    }

    def __init__(self, items: Iterable[object] = (), *, read_only: bool = True) -> None:
        super().__init__(items)
        self._read_only = read_only

    def _check_writable(self, operation: str) -> None:
        if self._read_only:
            raise error_for(
                WU_E_NOT_SUPPORTED,
                f"{self.interfaces()[0]}.{operation}: the collection is read-only",
            )

    def read_only(self) -> bool:
        return self._read_only

    def set_item(self, index: int, value: object) -> None:
        self._check_writable("Item")
        self._check_index(index)
        self._items[index] = value

    def add(self, value: object) -> int:
        self._check_writable("Add")
        self._items.append(value)
        return len(self._items) - 1

    def clear(self) -> None:
        self._check_writable("Clear")
        self._items.clear()

    def copy(self) -> EditableCollection:
        """A writable copy (IStringCollection::Copy; IUpdateCollection's is refused remotely)."""
        return type(self)(self._items, read_only=False)

    def insert(self, index: int, value: object) -> None:
        self._check_writable("Insert")
        self._check_index(index, upper=len(self._items) + 1)
        self._items.insert(index, value)

    def remove_at(self, index: int) -> None:
        self._check_writable("RemoveAt")
        self._check_index(index)
        del self._items[index]


class StringCollectionObject(EditableCollection):
    INTERFACES = ("IStringCollection",)


class UpdateCollectionObject(EditableCollection):
    INTERFACES = ("IUpdateCollection",)


class CategoryCollectionObject(ItemCollection):
    INTERFACES = ("ICategoryCollection",)


class UpdateHistoryEntryCollectionObject(ItemCollection):
    INTERFACES = ("IUpdateHistoryEntryCollection",)


class UpdateExceptionCollectionObject(ItemCollection):
    INTERFACES = ("IUpdateExceptionCollection",)


class UpdateServiceCollectionObject(ItemCollection):
    INTERFACES = ("IUpdateServiceCollection",)


class UpdateDownloadContentCollectionObject(ItemCollection):
    INTERFACES = ("IUpdateDownloadContentCollection",)


class WindowsDriverUpdateEntryCollectionObject(ItemCollection):
    INTERFACES = ("IWindowsDriverUpdateEntryCollection",)


def strings(values: Iterable[str]) -> StringCollectionObject:
    """A read-only IStringCollection of catalog strings."""
    return StringCollectionObject(values, read_only=True)
