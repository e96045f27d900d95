"""The CSV half of the shared host report: one header, then each host's rows, quoted as
the csv module quotes, for `info` (whose CSV no end-to-end test reads) and `history`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from wua.cli import history_cmd, info_cmd
from wua.cli.hosts import HostOutcome, csv_text
from wua.errors import HostUnreachable

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SERVICE = info_cmd.Service(
    "7971f918-a847-4430-9279-4a52d1efe18d", "Microsoft, Update", True, True, False, True
)
INFO = info_cmd.HostInfo("10.0.1", "2.0", (SERVICE,), None, None, (), ())
ENTRY = history_cmd.HistoryEntry(WHEN, "installation", "failed", 0x8024200B, "KB1", "abc", "")


def test_csv_text_writes_the_header_then_the_rows() -> None:
    assert csv_text(("a", "b"), [(1, "x,y"), (None, 2)]) == 'a,b\r\n1,"x,y"\r\n,2\r\n'


def test_info_csv_has_a_row_per_service_and_none_for_a_failed_host() -> None:
    outcomes = [
        HostOutcome("h1", WHEN, INFO),
        HostOutcome("h2", WHEN, None, HostUnreachable("no route")),
    ]
    text = csv_text(info_cmd.CSV_HEADER, (r for o in outcomes for r in info_cmd._csv_rows(o)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {
            "host": "h1",
            "product_version": "10.0.1",
            "service_id": SERVICE.service_id,
            "service": "Microsoft, Update",
            "default": "True",
            "registered_with_au": "True",
        }
    ]


def test_history_csv_row_decodes_the_hresult() -> None:
    outcome = HostOutcome("h1", WHEN, history_cmd.History(9, (ENTRY,)))
    (row,) = history_cmd._csv_rows(outcome)
    assert row == (
        "h1",
        "2026-01-02T03:04:05Z",
        "installation",
        "failed",
        "0x8024200B",
        "WU_E_UH_INSTALLERFAILURE",
        "KB1",
        "abc",
    )
