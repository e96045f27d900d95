"""ICategory: one node of the host's category tree, seen from a set of updates.

What a category contains depends on where it was reached: from a search result it is
that result's updates (WUA builds RootCategories from the found updates), from an update
or a history entry it is every searchable update of the host. `scope` carries that set;
Children lists only the sub-categories holding at least one update of the scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from wua.emulator.catalog import Category, Update
from wua.emulator.wua.base import GET, EmulatedObject, FieldTable, HandlerTable, by_name, converted
from wua.emulator.wua.collections import CategoryCollectionObject, UpdateCollectionObject
from wua.emulator.wua.images import image_object
from wua.emulator.wua.state import HostState


class CategoryObject(EmulatedObject):
    INTERFACES = ("ICategory",)
    HANDLERS: ClassVar[HandlerTable] = {
        ("Children", GET): "children",
        ("Parent", GET): "parent",
        ("Updates", GET): "updates",
    }
    FIELDS: ClassVar[FieldTable] = {
        **by_name("Name", "CategoryID", "Description", "Order", "Type"),
        **converted(image_object, "Image"),
    }

    def __init__(self, state: HostState, category: Category, scope: Sequence[Update]) -> None:
        self.state = state
        self.source = category
        self.category = category
        self.scope = tuple(scope)

    def __repr__(self) -> str:
        return f"<CategoryObject {self.category.name!r}>"

    def _in_scope(self, category_id: str) -> tuple[Update, ...]:
        return tuple(u for u in self.scope if category_id in u.category_ids)

    def children(self) -> CategoryCollectionObject:
        own = self.category.category_id
        return CategoryCollectionObject(
            CategoryObject(self.state, c, self.scope)
            for c in sorted(self.state.catalog.categories, key=lambda c: c.order)
            if c.parent == own and self._in_scope(c.category_id)
        )

    def parent(self) -> CategoryObject | None:
        """The parent category; NULL for a root (a company or a classification)."""
        if self.category.parent is None:
            return None
        return CategoryObject(
            self.state, self.state.catalog.category(self.category.parent), self.scope
        )

    def updates(self) -> UpdateCollectionObject:
        from wua.emulator.wua.updates import UpdateObject  # updates imports this module

        return UpdateCollectionObject(
            UpdateObject(self.state, u) for u in self._in_scope(self.category.category_id)
        )


def root_categories(state: HostState, scope: Sequence[Update]) -> CategoryCollectionObject:
    """ISearchResult.RootCategories: the tree's roots that hold an update of `scope`."""
    return CategoryCollectionObject(
        CategoryObject(state, c, scope)
        for c in sorted(state.catalog.categories, key=lambda c: c.order)
        if c.parent is None and any(c.category_id in u.category_ids for u in scope)
    )
