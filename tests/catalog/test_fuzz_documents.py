"""Whatever a document holds, parsing either succeeds or raises CatalogError."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.catalog.documents import minimal_document
from wua.emulator.catalog import parse_catalog
from wua.errors import CatalogError

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "utDriver",
            "0x80070643",
            "2024-05-14T17:00:00Z",
            "0fa1201d-4330-4fa8-8ae9-b877473b6441",
            "NaN",
            "1e999",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value can be replaced (mappings' keys, lists' indexes)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


PATHS = _paths(minimal_document())


def _replace(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@settings(max_examples=300, deadline=None)
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES), min_size=1, max_size=3))
def test_random_values_give_a_catalog_or_a_catalog_error(
    changes: list[tuple[tuple[Any, ...], Any]],
) -> None:
    doc = minimal_document()
    for path, value in changes:
        try:
            _replace(doc, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    try:
        catalog = parse_catalog(doc, source="fuzz")
    except CatalogError as error:
        assert error.source == "fuzz"
        assert error.field or "mapping" in str(error)
    else:
        assert catalog.format == "wua-catalog/1"
