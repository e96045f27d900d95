"""Reading and writing catalog files (YAML or JSON, one schema: `wua-catalog/1`).

`parse_catalog` is the single way a document becomes a `Catalog`: the codec checks each
field, then the cross-field rules run, then derived fields (each update's categories with
their ancestors) are filled in. Builders and the fleet generator go through it too, so
nothing reaches the emulator unvalidated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Any

import yaml

from wua.emulator.catalog.codec import record_for
from wua.emulator.catalog.converters import LoadContext
from wua.emulator.catalog.model import FORMAT, Catalog, Category
from wua.emulator.catalog.rules import first_problem
from wua.errors import CatalogError

# libyaml's safe loader reads the default host ten times faster than the pure-Python one
# and resolves the same types; writing stays with the pure-Python dumper, whose output
# does not depend on whether libyaml is installed.
_FAST_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_catalog(document: Any, *, source: str = "") -> Catalog:
    """A validated catalog from a parsed document; CatalogError names the first bad field."""
    if not isinstance(document, Mapping):
        raise CatalogError("a catalog is a mapping at the top level", source=source)
    version = document.get("format")
    if version is None:
        raise CatalogError(f"required field is missing ({FORMAT!r})", field="format", source=source)
    if version != FORMAT:
        raise CatalogError(
            f"unsupported format {version!r}; this version reads {FORMAT!r}",
            field="format",
            source=source,
        )
    ctx = LoadContext(source=source)
    catalog: Catalog = record_for(Catalog).load(document, "", ctx)
    ctx.check_keys_and_refs()
    problem = first_problem(catalog)
    if problem is not None:
        raise CatalogError(problem[1], field=problem[0], source=source)
    return _with_category_closure(catalog)


def _with_category_closure(catalog: Catalog) -> Catalog:
    """Each update's `category_ids`: its categories, then their ancestors, without repeats."""
    by_id: dict[str, Category] = {c.category_id: c for c in catalog.categories}

    def closure(direct: tuple[str, ...]) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for category_id in direct:
            current: str | None = category_id
            while current is not None and current not in out:
                out[current] = None
                current = by_id[current].parent
        return tuple(out)

    updates = tuple(replace(u, category_ids=closure(u.categories)) for u in catalog.updates)
    return replace(catalog, updates=updates)


def dump_catalog(catalog: Catalog) -> dict[str, Any]:
    """The document of a catalog (fields equal to their defaults left out); parses back equal."""
    document: dict[str, Any] = record_for(Catalog).dump(catalog)
    return document


def render_yaml(document: Mapping[str, Any]) -> str:
    """Stable YAML text: the same document always gives the same bytes."""
    # allow_unicode stays off: with it PyYAML writes U+0085 (NEL) raw inside a quoted
    # scalar and every YAML reader folds it to a space, so the text would not read back
    # equal. Escaped non-ASCII (\xE9, \N) reads back exactly.
    return yaml.safe_dump(
        dict(document), sort_keys=False, allow_unicode=False, width=100, default_flow_style=False
    )


def render_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_document(text: str, *, source: str = "", json_only: bool = False) -> Any:
    """The parsed document of YAML or JSON text (JSON is read by the JSON parser when asked)."""
    try:
        if json_only:
            return json.loads(text)
        return yaml.load(text, Loader=_FAST_SAFE_LOADER)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"not valid JSON: {exc}", source=source) from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"not valid YAML: {exc}", source=source) from exc


def load_catalog(path: str | PathLike[str]) -> Catalog:
    """A catalog file: `.json` is read as JSON, anything else as YAML."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror}", source=str(file)) from exc
    document = read_document(text, source=str(file), json_only=file.suffix.lower() == ".json")
    return parse_catalog(document, source=str(file))
