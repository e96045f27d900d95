"""IEnumVARIANT over a collection: what `_NewEnum` hands out.

Not a WUA interface (it is not in the reference and has no IDispatch), so the wire
layer calls these four methods directly by their IEnumVARIANT opnums. The enumerator
walks a snapshot taken when `_NewEnum` was read, as WUA's collections do: changing a
writable collection afterwards does not disturb a running enumeration.
"""

from __future__ import annotations

from dataclasses import dataclass

from wua.errors import error_for
from wua.reference.hresults import E_INVALIDARG
from wua.reference.interfaces import IENUMVARIANT_IID, IUNKNOWN_IID


@dataclass(frozen=True)
class Fetched:
    """The answer of Next: the items, and S_OK (`complete`) or S_FALSE (fewer than asked)."""

    items: tuple[object, ...]
    complete: bool


class Enumerator:
    """A cursor over a fixed sequence of items (objects or strings)."""

    IIDS = frozenset({IUNKNOWN_IID, IENUMVARIANT_IID})

    def __init__(self, items: tuple[object, ...], position: int = 0) -> None:
        self._items = items
        self._position = position

    def query_interface(self, iid: str) -> bool:
        return iid.lower() in self.IIDS

    def next(self, count: int) -> Fetched:
        """Up to `count` items from the cursor on; S_FALSE when fewer remained."""
        if count < 0:
            raise error_for(E_INVALIDARG, f"IEnumVARIANT::Next: negative count {count}")
        items = self._items[self._position : self._position + count]
        self._position += len(items)
        return Fetched(items, complete=len(items) == count)

    def skip(self, count: int) -> bool:
        """Move the cursor on; True (S_OK) when all `count` items existed, else S_FALSE."""
        if count < 0:
            raise error_for(E_INVALIDARG, f"IEnumVARIANT::Skip: negative count {count}")
        remaining = len(self._items) - self._position
        self._position += min(count, remaining)
        return count <= remaining

    def reset(self) -> None:
        self._position = 0

    def clone(self) -> Enumerator:
        """An independent cursor at the same position over the same snapshot."""
        return Enumerator(self._items, self._position)
