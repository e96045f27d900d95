"""`wua demo`: table, JSON against the published schema, CSV parsed back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.conftest import Run
from wua.cli.catalog_rows import pending_rows
from wua.cli.render import (
    CSV_COLUMNS,
    HostError,
    HostUpdates,
    UpdateRow,
    human_size,
    render_csv,
    render_json,
)
from wua.emulator.catalog.default import default_catalog
from wua.reference.enums import InstallationRebootBehavior

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "json-schema" / "scan-v1.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _expected_pending() -> list[Any]:
    """Pending, computed from the fields directly (not through the criteria engine)."""
    catalog = default_catalog()
    return [u for u in catalog.searchable_updates if not u.is_installed and not u.is_hidden]


def _expected_search() -> list[Any]:
    """What the demo's real Search returns: pending, minus updates another update of the
    catalog supersedes (WUA hides them unless IncludePotentiallySupersededUpdates)."""
    catalog = default_catalog()
    superseded = {i.lower() for u in catalog.updates for i in u.superseded_update_ids}
    return [u for u in _expected_pending() if u.update_id not in superseded]


def test_pending_rows_are_the_uninstalled_unhidden_updates() -> None:
    rows = pending_rows(default_catalog())
    expected = _expected_pending()
    assert [r.update_id for r in rows] == [u.update_id for u in expected]
    assert len(rows) > 30
    assert {r.classification for r in rows} >= {"Security Updates", "Drivers"}


def test_table(run: Run) -> None:
    result = run("demo")
    assert result.exit_code == 0, result.output
    expected = _expected_search()
    title = result.stdout.splitlines()[0]
    assert title.startswith(f"127.0.0.1 (WUA-DEMO-01): {len(expected)} pending updates (")
    for header in ("KB", "Title", "Classification", "Severity", "Size", "Reboot", "CVEs"):
        assert header in result.stdout
    for update in expected:
        if update.kb_article_ids:
            assert f"KB{update.kb_article_ids[0]}" in result.stdout
    assert "IsInstalled=0 and IsHidden=0" in result.stderr


def test_quiet_table_has_no_title_and_no_note(run: Run) -> None:
    result = run("--quiet", "demo")
    assert result.exit_code == 0
    assert "pending updates" not in result.output


def test_quiet_after_the_command_overrides(run: Run) -> None:
    loud, quiet = run("demo"), run("demo", "-q")
    assert quiet.exit_code == 0
    assert "pending updates" in loud.stdout.splitlines()[0]
    assert "pending updates" not in quiet.output
    assert quiet.stdout.splitlines() == loud.stdout.splitlines()[1:]


def test_json_matches_schema_and_catalog(run: Run, validator: Any) -> None:
    for args in (
        ["demo", "--format", "json"],
        ["--format", "json", "demo"],
        ["-f", "json", "demo"],
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 1
        document = json.loads(lines[0])
        validator.validate(document)
    assert document["schema"] == "wua.scan/1"
    assert document["host"] == "127.0.0.1"
    assert document["computer_name"] == "WUA-DEMO-01"
    assert document["errors"] == []
    stamp = datetime.fromisoformat(document["timestamp"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
    expected = _expected_search()
    assert [u["update_id"] for u in document["updates"]] == [u.update_id for u in expected]
    by_id = {u.update_id: u for u in expected}
    for item in document["updates"]:
        update = by_id[item["update_id"]]
        assert item["title"] == update.title
        assert item["size_bytes"] == int(update.max_download_size)
        assert item["cve_count"] == len(update.cve_ids)
        assert item["msrc_severity"] == (update.msrc_severity or None)


def test_csv_parses_back(run: Run) -> None:
    result = run("demo", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    expected = _expected_search()
    assert [r["update_id"] for r in rows] == [u.update_id for u in expected]
    for row, update in zip(rows, expected, strict=True):
        assert row["host"] == "127.0.0.1"
        assert row["title"] == update.title
        assert int(row["size_bytes"]) == int(update.max_download_size)
        assert int(row["cve_count"]) == len(update.cve_ids)
        assert row["reboot"] in {"never", "required", "may request"}


def test_other_catalog_file(run: Run, tmp_path: Path) -> None:
    from wua.emulator.catalog import dump_catalog
    from wua.emulator.catalog.loader import render_yaml

    path = tmp_path / "host.yaml"
    path.write_text(render_yaml(dump_catalog(default_catalog())), "utf-8")
    result = run("demo", "--catalog", str(path), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(_expected_search()) + 1


SIZE_VECTORS = [
    (0, "0 B"),
    (1023, "1023 B"),
    (1024, "1.0 KB"),
    (1536, "1.5 KB"),
    (454785928, "433.7 MB"),
    (5 * 1024**3, "5.0 GB"),
    (3 * 1024**4, "3072.0 GB"),
]


@pytest.mark.parametrize(("size", "text"), SIZE_VECTORS)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


_rows = st.builds(
    UpdateRow,
    kb=st.from_regex(r"[0-9]{0,8}", fullmatch=True),
    title=st.text(),
    classification=st.text(),
    msrc_severity=st.sampled_from(["", "Critical", "Important", "Moderate", "Low"]),
    size_bytes=st.integers(0, 2**63 - 1),
    reboot=st.sampled_from(list(InstallationRebootBehavior)),
    cve_count=st.integers(0, 500),
    update_id=st.uuids().map(str),
    revision_number=st.integers(0, 2**31 - 1),
)
_errors = st.builds(
    HostError,
    stage=st.text(),
    message=st.text(),
    hresult=st.none() | st.integers(0, 2**32 - 1),
    symbol=st.none() | st.text(),
)
_reports = st.builds(
    HostUpdates,
    host=st.text(min_size=1),
    timestamp=st.datetimes(timezones=st.just(UTC)),
    updates=st.lists(_rows, max_size=5).map(tuple),
    errors=st.lists(_errors, max_size=2).map(tuple),
)


@given(st.lists(_reports, min_size=1, max_size=3))
def test_any_report_renders_valid_json_and_round_trips_csv(reports: list[HostUpdates]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    lines = render_json(reports).splitlines()
    assert len(lines) == len(reports)
    for line, report in zip(lines, reports, strict=True):
        document = json.loads(line)
        validator.validate(document)
        assert [u["update_id"] for u in document["updates"]] == [
            r.update_id for r in report.updates
        ]
    parsed = list(csv.reader(io.StringIO(render_csv(reports))))
    assert parsed[0] == list(CSV_COLUMNS)
    flat = [(r.host, u) for r in reports for u in r.updates]
    assert len(parsed) == len(flat) + 1
    for (host, row), line_ in zip(flat, parsed[1:], strict=True):
        assert line_[0] == host and line_[2] == row.title and int(line_[5]) == row.size_bytes


def test_decimal_sizes_are_whole_bytes() -> None:
    catalog = default_catalog()
    assert all(u.max_download_size == Decimal(int(u.max_download_size)) for u in catalog.updates)


def test_broken_catalog_is_a_clean_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: wua-catalog/1\nhost: {name: 'bad name!'}\n", "utf-8")
    result = run("demo", "--catalog", str(path))
    assert result.exit_code == 2  # a bad file named on the command line, like a missing one
    assert result.stderr.startswith("error: ")
    assert "WU_E_INVALID_FILE" in result.stderr or "0x80240031" in result.stderr
    assert "Traceback" not in result.output


def test_missing_catalog_is_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("demo", "--catalog", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
