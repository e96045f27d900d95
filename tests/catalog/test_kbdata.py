"""The packaged KB data: an unchanged copy of the shared data, read strictly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wua.emulator.catalog.kbdata import COLUMNS, kb_records, parse_kb_csv, records_for
from wua.errors import CatalogError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "catalog-data" / "real-kbs-2022plus.csv"
PACKAGED = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "wua"
    / "emulator"
    / "data"
    / "real-kbs-2022plus.csv"
)
HEADER = ",".join(COLUMNS)


def test_packaged_copy_equals_the_shared_data() -> None:
    if not SHARED.is_file():
        pytest.skip(f"{SHARED} is not beside this checkout")
    assert PACKAGED.read_bytes() == SHARED.read_bytes()


def test_records_are_read() -> None:
    records = kb_records()
    assert len(records) == 418
    server = records_for("Windows Server 2022")
    assert len(server) == 92
    assert [r.first_posted for r in server] == sorted(r.first_posted for r in server)
    first = next(r for r in records if r.kb == "KB5009555")
    assert first.first_posted == date(2022, 1, 11)
    assert first.kb_number == "5009555"
    assert first.supersedes_kbs == ("KB5008223",)
    assert first.cve_count == 80
    assert len(first.example_cves) == 5


ROWS = [
    ("Windows Server 2022,KB1,2022011,Critical,3,,CVE-1,x", "row 2.first_posted"),
    ("Windows Server 2022,KB1,20220111,Critical,many,,CVE-1,x", "row 2.cve_count"),
    ("Windows Server 2022,5009555,20220111,Critical,3,,CVE-1,x", "row 2.kb"),
]


@pytest.mark.parametrize(("row", "field"), ROWS)
def test_malformed_rows_name_row_and_column(row: str, field: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_kb_csv(f"{HEADER}\n{row}\n")
    assert caught.value.field == field


def test_wrong_header_is_refused() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_kb_csv("product,kb\n")
    assert caught.value.field == "header"
