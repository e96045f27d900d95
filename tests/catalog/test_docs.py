"""docs/catalog-format.md documents every key a catalog file may hold, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from wua.emulator.catalog.codec import document_keys
from wua.emulator.catalog.model import Catalog

DOC = Path(__file__).resolve().parents[2] / "docs" / "catalog-format.md"


def _documented_keys() -> set[str]:
    """Key paths from the doc: each '## `path`' section's table rows '| `key` |'."""
    keys: set[str] = set()
    sections: list[str] | None = None
    for line in DOC.read_text("utf-8").splitlines():
        if line.startswith("## "):
            paths = re.findall(r"`([^`]+)`", line)
            sections = [""] if line == "## Top level" else paths or None
            continue
        row = re.match(r"\| `([a-z_]+)` \|", line)
        if row and sections is not None:
            for section in sections:
                keys.add(f"{section}.{row.group(1)}" if section else row.group(1))
    return keys


def test_every_key_is_documented_and_nothing_else() -> None:
    assert set(document_keys(Catalog)) == _documented_keys()


def test_default_host_table_matches_the_builder() -> None:
    from wua.emulator.catalog.default import DEFAULT_COUNTS

    text = DOC.read_text("utf-8")
    for name, counts in DEFAULT_COUNTS:
        assert f"| {name} | {counts.pending} | {counts.installed} |" in text
