"""Properties of what the host commands write: any diagnosis, history or info renders
JSON that its schema accepts, the exit code follows the broken stage, and any mix of
scan filters gives criteria the criteria language parses."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli_hosts.helpers import json_lines
from wua.cli.check_render import check_exit_code, render_check_json
from wua.cli.exit_codes import ExitCode
from wua.cli.history_cmd import OPERATIONS, RESULTS, History, HistoryEntry, history_document
from wua.cli.hosts import HostOutcome
from wua.cli.scan_options import SEVERITIES, ScanRequest, Server
from wua.criteria import parse
from wua.firewall.diagnose import Blame, Diagnosis, Outcome, StageResult, Verdict
from wua.firewall.stages import STAGES
from wua.reference.coclasses import classifications

EXIT_OF = {
    Blame.NETWORK: ExitCode.UNREACHABLE,
    Blame.ACCESS: ExitCode.ACCESS_DENIED,
    Blame.REMOTE_RULE: ExitCode.NOT_AVAILABLE_REMOTELY,
    Blame.OTHER: ExitCode.FAILURE,
}
_times = st.datetimes(timezones=st.just(UTC))


@st.composite
def diagnoses(draw: st.DrawFn) -> Diagnosis:
    """Stages ok up to a random point, then (maybe) one failure and the rest skipped."""
    broken_at = draw(st.integers(0, len(STAGES)))
    blame = draw(st.sampled_from(list(Blame)))
    results = []
    for index, stage in enumerate(STAGES):
        text = draw(st.text(max_size=40))
        if index < broken_at:
            verdict = Verdict(Outcome.OK, text)
        elif index == broken_at:
            verdict = Verdict(Outcome.FAILED, text, draw(st.text(max_size=40)), blame)
        else:
            verdict = Verdict(Outcome.SKIPPED, text)
        results.append(StageResult(stage, verdict, draw(st.floats(0, 100))))
    host = draw(st.text(min_size=1, max_size=20))
    return Diagnosis(host, draw(_times), tuple(results))


@given(st.lists(diagnoses(), min_size=1, max_size=3))
@settings(max_examples=60)
def test_any_diagnosis_is_valid_check_json(items: list[Diagnosis]) -> None:
    documents = json_lines(render_check_json(items), "check-v1.json")
    assert [d["host"] for d in documents] == [d.host for d in items]
    for document, diagnosis in zip(documents, items, strict=True):
        broken = diagnosis.broken
        assert document["ok"] is (broken is None)
        assert document["broken_stage"] == (broken.stage.key if broken else None)
    first = next((d.broken for d in items if d.broken is not None), None)
    expected = ExitCode.OK if first is None else EXIT_OF[first.verdict.blame]
    assert check_exit_code(items) is expected


_entries = st.builds(
    HistoryEntry,
    date=st.none() | _times,
    operation=st.sampled_from(sorted(OPERATIONS.values())),
    result=st.sampled_from(sorted(RESULTS.values())),
    hresult=st.integers(0, 2**32 - 1),
    title=st.text(max_size=30),
    update_id=st.uuids().map(str),
    client_application_id=st.text(max_size=10),
)


@given(st.lists(_entries, max_size=5), _times, st.text(min_size=1, max_size=20))
@settings(max_examples=60)
def test_any_history_is_valid_history_json(
    entries: list[HistoryEntry], when: object, host: str
) -> None:
    outcome = HostOutcome(host, when, History(len(entries) + 3, tuple(entries)))  # type: ignore[arg-type]
    [document] = json_lines(json.dumps(history_document(outcome)) + "\n", "history-v1.json")
    assert [e["hresult"] for e in document["entries"]] == [f"0x{e.hresult:08X}" for e in entries]


_category = st.sampled_from([c.name for c in classifications()]) | st.uuids().map(str)


@given(
    criteria=st.none() | st.sampled_from(["IsInstalled=1", "Type='Driver' or IsHidden=1"]),
    categories=st.lists(_category, max_size=3),
    severities=st.lists(st.sampled_from(SEVERITIES), max_size=2),
    offline=st.booleans(),
    server=st.sampled_from(list(Server)),
)
def test_scan_filters_make_parseable_criteria(
    criteria: str | None,
    categories: list[str],
    severities: list[str],
    offline: bool,
    server: Server,
) -> None:
    request = ScanRequest(criteria, categories, severities, (), server, None, offline)
    search = request.settings()
    parse(search.criteria)
    assert search.online is not offline
    for category in categories:
        assert "CategoryIDs contains" in search.criteria
        assert category.lower() in search.criteria.lower() or any(
            c.id in search.criteria for c in classifications() if c.name == category
        )
