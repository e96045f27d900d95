"""A JSON Schema of the catalog format, derived from the same tables the loader uses.

Editors and other tools can check catalog files with it; it says everything about single
fields (types, GUIDs, enum names, ranges, unknown keys) but not the relations between
fields (unique IDs, references, one default service…), which only `parse_catalog` checks.
Print it with `python -m wua.emulator.catalog.schema`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from wua.emulator.catalog.codec import record_for
from wua.emulator.catalog.model import FORMAT, Catalog

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def catalog_json_schema() -> dict[str, Any]:
    """The JSON Schema of a `wua-catalog/1` document."""
    schema = record_for(Catalog).json_schema()
    schema["properties"]["format"] = {"const": FORMAT}
    return {"$schema": SCHEMA_DIALECT, "$id": f"urn:wua:{FORMAT}", **schema}


def main(argv: list[str]) -> int:
    del argv
    sys.stdout.write(json.dumps(catalog_json_schema(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
