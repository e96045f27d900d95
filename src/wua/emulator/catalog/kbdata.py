"""The real KB records the default catalog and the fleet generator are seeded from.

`real-kbs-2022plus.csv` (packaged under `wua/emulator/data/`, BSD-3 from wesng, see
SOURCES.md there) lists monthly Windows KBs with their first posting date, highest MSRC
severity, CVE count, supersedence and example CVE IDs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from wua.errors import CatalogError

KB_FILE = "real-kbs-2022plus.csv"
COLUMNS = (
    "product",
    "kb",
    "first_posted",
    "max_msrc_severity",
    "cve_count",
    "supersedes_kbs",
    "example_cves",
    "top_component",
)


@dataclass(frozen=True)
class KbRecord:
    """One row: one KB as published for one product."""

    product: str
    kb: str
    first_posted: date
    max_msrc_severity: str
    cve_count: int
    supersedes_kbs: tuple[str, ...]
    example_cves: tuple[str, ...]
    top_component: str

    @property
    def kb_number(self) -> str:
        """The number without the 'KB' prefix, as IUpdate.KBArticleIDs holds it."""
        return self.kb.removeprefix("KB")


def parse_kb_csv(text: str, *, source: str = KB_FILE) -> tuple[KbRecord, ...]:
    """Records from CSV text; a malformed row raises CatalogError naming row and column."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise CatalogError(f"expected columns {', '.join(COLUMNS)}", field="header", source=source)
    records = []
    for number, row in enumerate(reader, start=2):
        column = "first_posted"
        try:
            text = row[column]
            if not (len(text) == 8 and text.isdigit()):
                raise ValueError(text)
            posted = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            column = "cve_count"
            cves = int(row[column])
        except ValueError as exc:
            raise CatalogError(
                f"bad value {row[column]!r}", field=f"row {number}.{column}", source=source
            ) from exc
        if not row["kb"].startswith("KB"):
            raise CatalogError(f"bad KB {row['kb']!r}", field=f"row {number}.kb", source=source)
        records.append(
            KbRecord(
                product=row["product"],
                kb=row["kb"],
                first_posted=posted,
                max_msrc_severity=row["max_msrc_severity"],
                cve_count=cves,
                supersedes_kbs=tuple(row["supersedes_kbs"].split()),
                example_cves=tuple(row["example_cves"].split()),
                top_component=row["top_component"],
            )
        )
    return tuple(records)


@cache
def kb_records() -> tuple[KbRecord, ...]:
    """The packaged records, in file order (read once)."""
    text = resources.files("wua.emulator").joinpath("data", KB_FILE).read_text("utf-8")
    return parse_kb_csv(text)


def records_for(product: str) -> tuple[KbRecord, ...]:
    """One product's records, oldest first (ties by KB number, so the order is stable)."""
    rows = [r for r in kb_records() if r.product == product]
    return tuple(sorted(rows, key=lambda r: (r.first_posted, r.kb)))
