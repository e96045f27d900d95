"""The derived JSON Schema agrees with the loader, checked by an independent validator."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from tests.catalog.documents import minimal_document
from tests.catalog.test_broken_catalogs import BROKEN
from wua.emulator.catalog import dump_catalog
from wua.emulator.catalog.default import default_catalog
from wua.emulator.catalog.fleet import generate_host_documents
from wua.emulator.catalog.loader import render_json
from wua.emulator.catalog.schema import catalog_json_schema

# Problems between fields (or date-time syntax, which a JSON Schema names but does not
# check without extra packages): only parse_catalog finds these.
BEYOND_SCHEMA = {
    "duplicate update ID",
    "duplicate category ID",
    "duplicate account",
    "unknown category in update",
    "unknown parent category",
    "unknown category in history",
    "unknown bundled update",
    "category cycle",
    "bundled in itself",
    "two default services",
    "no default service",
    "password and hash",
    "neither password nor hash",
    "built-in admin not admin",
    "sizes reversed",
    "driver without fields",
    "software with driver fields",
    "naive date-time",
    "not a date",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = catalog_json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _as_json(document: dict[str, Any]) -> Any:
    return json.loads(render_json(document))


def test_valid_documents_match_the_schema(validator: jsonschema.protocols.Validator) -> None:
    validator.validate(minimal_document())
    validator.validate(_as_json(dump_catalog(default_catalog())))
    for document in generate_host_documents(5, seed=11):
        validator.validate(_as_json(document))


@pytest.mark.parametrize(
    "breakage",
    [b[1] for b in BROKEN if b[0] not in BEYOND_SCHEMA],
    ids=[b[0] for b in BROKEN if b[0] not in BEYOND_SCHEMA],
)
def test_per_field_problems_break_the_schema_too(
    validator: jsonschema.protocols.Validator, breakage: Callable[[dict[str, Any]], object]
) -> None:
    document = minimal_document()
    breakage(document)
    assert list(validator.iter_errors(document))


def test_the_schema_does_not_know_relations(validator: jsonschema.protocols.Validator) -> None:
    """The cases left to the loader are accepted by the schema (so the list above is exact)."""
    for name, breakage, _, _ in BROKEN:
        if name in BEYOND_SCHEMA:
            document = minimal_document()
            breakage(document)
            assert not list(validator.iter_errors(document)), name
