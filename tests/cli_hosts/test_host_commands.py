"""`wua scan`, `history`, `info` and `detect` end to end: the real command tree (click's
runner, and one child process) against emulated hosts over DCOM on loopback, JSON
validated against docs/json-schema, the documented exit codes, and the values compared
with the catalog the emulated host serves."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import (
    ADMIN,
    NON_ADMIN,
    emulated,
    host_config,
    json_lines,
    port_of,
    shared_port,
    wua,
)
from tests.netns.harness import REPO
from wua.cli.catalog_rows import classification
from wua.emulator.catalog import Catalog, Update, default_catalog
from wua.emulator.server import FleetThread
from wua.emulator.wua import HostBehaviour
from wua.reference.coclasses import MICROSOFT_UPDATE_SERVICE, SECURITY_UPDATES
from wua.reference.enums import ServerSelection

GOOD = "127.0.83.1"
SECOND = "127.0.83.2"
NO_SEARCH = "127.0.83.3"
NOWHERE = "127.0.83.9"  # nothing listens


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    port = shared_port()
    with emulated(
        host_config(GOOD, resolver_port=port),
        host_config(SECOND, resolver_port=port),
        host_config(NO_SEARCH, behaviour=HostBehaviour(deny_remote_search=True)),
    ) as running:
        yield running


def expected_pending(catalog: Catalog) -> list[Update]:
    """From the fields (not the criteria engine): not installed, not hidden, and not
    superseded by another update of the catalog (what WUA's default Search hides)."""
    superseded = {i.lower() for u in catalog.updates for i in u.superseded_update_ids}
    return [
        u
        for u in catalog.searchable_updates
        if not u.is_installed and not u.is_hidden and u.update_id not in superseded
    ]


def _scan(run: Run, fleet: FleetThread, *extra: str, host: str = GOOD) -> tuple[int, Any]:
    result = wua(run, "scan", host, port_of(fleet, host), ADMIN, "-f", "json", *extra)
    documents = json_lines(result.stdout, "scan-v1.json")
    return result.exit_code, documents


# --- scan -----------------------------------------------------------------------------


def test_scan_default_criteria_matches_the_catalog(run: Run, fleet: FleetThread) -> None:
    catalog = default_catalog()
    code, [document] = _scan(run, fleet)
    assert code == 0 and document["host"] == GOOD and document["errors"] == []
    expected = expected_pending(catalog)
    assert len(expected) > 10
    assert [u["update_id"] for u in document["updates"]] == [u.update_id for u in expected]
    for item, update in zip(document["updates"], expected, strict=True):
        assert item["title"] == update.title
        assert item["kb"] == (f"KB{update.kb_article_ids[0]}" if update.kb_article_ids else None)
        assert item["size_bytes"] == int(update.max_download_size)
        assert item["cve_count"] == len(update.cve_ids)
        assert item["classification"] == (classification(catalog, update) or None)
        assert item["revision_number"] == update.revision_number
    searches = fleet.fleet.host(GOOD).state.searches
    assert searches[-1].criteria == "IsInstalled=0 and IsHidden=0" and searches[-1].online


def test_scan_table_and_csv(run: Run, fleet: FleetThread) -> None:
    expected = expected_pending(default_catalog())
    table = wua(run, "scan", GOOD, port_of(fleet, GOOD), ADMIN)
    assert table.exit_code == 0
    title = f"{GOOD} (WUA-DEMO-01): {len(expected)} pending updates ("
    assert table.stdout.startswith(title)
    for header in ("KB", "Title", "Classification", "Severity", "Size", "Reboot", "CVEs"):
        assert header in table.stdout
    assert f"{len(expected)} updates matching" in table.stderr
    result = wua(run, "scan", GOOD, port_of(fleet, GOOD), ADMIN, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["update_id"] for r in rows] == [u.update_id for u in expected]


def test_scan_category_by_name_and_by_id(run: Run, fleet: FleetThread) -> None:
    _, [by_name] = _scan(run, fleet, "--category", "security updates")
    _, [by_id] = _scan(run, fleet, "--category", SECURITY_UPDATES)
    assert by_name["updates"] == by_id["updates"] and by_name["updates"]
    assert {u["classification"] for u in by_name["updates"]} == {"Security Updates"}
    assert SECURITY_UPDATES in fleet.fleet.host(GOOD).state.searches[-1].criteria


def test_scan_severity_and_kb_filters(run: Run, fleet: FleetThread) -> None:
    _, [everything] = _scan(run, fleet)
    _, [critical] = _scan(run, fleet, "--severity", "critical")
    wanted = [u for u in everything["updates"] if u["msrc_severity"] == "Critical"]
    assert critical["updates"] == wanted and wanted
    kb = wanted[0]["kb"]
    _, [one] = _scan(run, fleet, "--kb", kb[2:])
    _, [same] = _scan(run, fleet, "--kb", kb)
    assert [u["kb"] for u in one["updates"]] == [kb] == [u["kb"] for u in same["updates"]]


def test_scan_criteria_offline_server_and_service(run: Run, fleet: FleetThread) -> None:
    installed = sum(1 for u in default_catalog().searchable_updates if u.is_installed)
    code, [document] = _scan(
        run, fleet, "--criteria", "IsInstalled=1", "--offline", "--server", "windows-update"
    )
    assert code == 0 and 0 < len(document["updates"]) <= installed
    record = fleet.fleet.host(GOOD).state.searches[-1]
    assert record.criteria == "IsInstalled=1" and record.online is False
    assert record.server_selection == ServerSelection.ssWindowsUpdate
    _scan(run, fleet, "--server", "microsoft-update")
    record = fleet.fleet.host(GOOD).state.searches[-1]
    assert record.server_selection == ServerSelection.ssOthers
    assert record.service_id == MICROSOFT_UPDATE_SERVICE


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--category", "Nonsense"), "not a classification"),
        (("--service-id", "not-a-guid"), "not a GUID"),
        (("--server", "wsus", "--service-id", MICROSOFT_UPDATE_SERVICE), "drop --server"),
    ],
)
def test_scan_usage_errors_exit_2(
    run: Run, fleet: FleetThread, args: tuple[str, ...], words: str
) -> None:
    result = wua(run, "scan", GOOD, port_of(fleet, GOOD), ADMIN, *args)
    assert result.exit_code == 2 and words in result.stderr


def test_scan_bad_criteria_is_a_usage_error(run: Run, fleet: FleetThread) -> None:
    # checked once before any host is contacted, like --category (tests/cli_ux has more)
    result = wua(run, "scan", GOOD, port_of(fleet, GOOD), ADMIN, "--criteria", "IsInstalled=")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--criteria" in result.stderr and "WU_E_INVALID_CRITERIA" not in result.stdout


def test_scan_many_hosts_one_object_each_and_exit_3(run: Run, fleet: FleetThread) -> None:
    # the same --port for all: NOWHERE has nothing on it
    port = str(port_of(fleet, GOOD))
    result = run(
        "scan",
        GOOD,
        NOWHERE,
        "--port",
        port,
        "-u",
        ADMIN[0],
        "-f",
        "json",
        "--connect-timeout",
        "2",
        env={"WUA_PASSWORD": ADMIN[1]},
    )
    good, nowhere = json_lines(result.stdout, "scan-v1.json")
    assert good["host"] == GOOD and good["updates"] and not good["errors"]
    assert nowhere["host"] == NOWHERE and nowhere["updates"] == []
    assert nowhere["errors"][0]["stage"] == "TCP 135"
    assert result.exit_code == 3
    assert f"error: {NOWHERE}" in result.stderr


def test_scan_unreachable_exit_3(run: Run) -> None:
    result = run(
        "scan",
        NOWHERE,
        "--port",
        "1",
        "-u",
        ADMIN[0],
        "--connect-timeout",
        "2",
        env={"WUA_PASSWORD": ADMIN[1]},
    )
    assert result.exit_code == 3 and "cannot connect" in result.stderr


@pytest.mark.parametrize("command", ["scan", "history", "info", "detect"])
def test_non_admin_exit_4(run: Run, fleet: FleetThread, command: str) -> None:
    result = wua(run, command, GOOD, port_of(fleet, GOOD), NON_ADMIN, "-f", "json")
    assert result.exit_code == 4
    assert "LocalAccountTokenFilterPolicy" in result.stderr


@pytest.mark.parametrize("command", ["scan", "history"])
def test_denied_remote_search_exit_5(run: Run, fleet: FleetThread, command: str) -> None:
    result = wua(run, command, NO_SEARCH, port_of(fleet, NO_SEARCH), ADMIN)
    assert result.exit_code == 5
    assert "KB5065789" in result.stderr and "scheduled task" in result.stderr


def test_scan_through_a_child_process(fleet: FleetThread) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUA_")}
    env["WUA_PASSWORD"] = ADMIN[1]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wua.cli.main",
            "scan",
            GOOD,
            "--port",
            str(port_of(fleet, GOOD)),
            "-u",
            ADMIN[0],
            "--severity",
            "Critical",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [document] = json_lines(done.stdout, "scan-v1.json")
    assert document["updates"] and {u["msrc_severity"] for u in document["updates"]} == {"Critical"}


# --- history --------------------------------------------------------------------------


def test_history_json_decodes_hresults(run: Run, fleet: FleetThread) -> None:
    catalog = default_catalog()
    result = wua(run, "history", GOOD, port_of(fleet, GOOD), ADMIN, "--limit", "20", "-f", "json")
    assert result.exit_code == 0
    [document] = json_lines(result.stdout, "history-v1.json")
    assert document["total"] == len(catalog.history)
    entries = document["entries"]
    assert len(entries) == 20
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    failed = [e for e in entries if e["result"] == "failed"]
    assert failed, "the default host's history has failures in its newest 20"
    for entry in failed:
        assert entry["hresult"] != "0x00000000" and entry["symbol"] != "S_OK"
        assert entry["meaning"]
    ok = next(e for e in entries if e["result"] == "succeeded")
    assert ok["hresult"] == "0x00000000"


def test_history_table_and_limit(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "history", GOOD, port_of(fleet, GOOD), ADMIN, "--limit", "3")
    assert result.exit_code == 0
    total = len(default_catalog().history)
    assert result.stdout.startswith(f"{GOOD}: 3 of {total} history entries")
    assert "WU_E_" in result.stdout or "succeeded" in result.stdout
    csv_result = wua(run, "history", GOOD, port_of(fleet, GOOD), ADMIN, "--limit", "5", "-f", "csv")
    assert len(csv_result.stdout.splitlines()) == 6


# --- info -----------------------------------------------------------------------------


def test_info_json(run: Run, fleet: FleetThread) -> None:
    catalog = default_catalog()
    result = wua(run, "info", GOOD, port_of(fleet, GOOD), ADMIN, SECOND, "-f", "json")
    assert result.exit_code == 0
    documents = json_lines(result.stdout, "info-v1.json")
    assert [d["host"] for d in documents] == [GOOD, SECOND]
    document = documents[0]
    assert document["agent"]["product_version"] == catalog.agent.product_version_string
    assert {s["service_id"] for s in document["services"]} == {
        s.service_id for s in catalog.services
    }
    defaults = [s.service_id for s in catalog.services if s.is_default_au_service]
    assert document["default_service"] == defaults[0]
    members = {m["name"]: m for m in document["automatic_updates"]["members"]}
    assert members["DetectNow"]["remote"] is True
    for name in ("Settings", "ServiceEnabled", "Pause"):
        assert members[name]["remote"] is False
        assert "Remote Computer" in members[name]["rule"] and members[name]["workaround"]


def test_info_table_marks_settings_not_readable(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "info", GOOD, port_of(fleet, GOOD), ADMIN)
    assert result.exit_code == 0
    assert "Windows Update Agent 10.0.20348" in result.stdout
    assert "Settings (property)" in result.stdout and "Group Policy" in result.stdout


# --- detect ---------------------------------------------------------------------------


def test_detect_reaches_the_host(run: Run, fleet: FleetThread) -> None:
    state = fleet.fleet.host(SECOND).state
    before = len(state.detections)
    result = wua(run, "detect", SECOND, port_of(fleet, SECOND), ADMIN, "-f", "json")
    assert result.exit_code == 0
    [document] = json_lines(result.stdout, "detect-v1.json")
    assert document["requested"] is True and document["errors"] == []
    assert len(state.detections) == before + 1
    table = wua(run, "detect", SECOND, port_of(fleet, SECOND), ADMIN)
    assert "detection started" in table.stdout and len(state.detections) == before + 2


def test_detect_unreachable_json_carries_the_error(run: Run) -> None:
    result = run(
        "detect", NOWHERE, "--port", "1", "-u", "x", "-f", "json", env={"WUA_PASSWORD": "x"}
    )
    [document] = json_lines(result.stdout, "detect-v1.json")
    assert document["requested"] is False and document["errors"][0]["symbol"]
    assert result.exit_code == 3


def test_help_has_examples_everywhere(run: Run) -> None:
    for command in ("scan", "history", "info", "detect", "check", "demo"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout, command
