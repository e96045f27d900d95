"""`wua check` results as a table, `wua.check/1` JSON (docs/json-schema/check-v1.json)
or CSV. Every stage is listed, so a reader sees how far the path was clear.

The broken stage is also an error line on stderr in every format, worded like every other
command's (`error: HOST (stage): message` and an indented `fix:`), so a person or a log
scraper reads one shape whichever command failed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wua.cli.error_text import ErrorText
from wua.cli.exit_codes import ExitCode
from wua.firewall.diagnose import Blame, Diagnosis, Outcome

CHECK_SCHEMA = "wua.check/1"

_MARKS = {
    Outcome.OK: "[green]ok[/]",
    Outcome.FAILED: "[bold red]FAILED[/]",
    Outcome.SKIPPED: "[dim]skipped[/]",
}
_EXIT = {
    Blame.NETWORK: ExitCode.UNREACHABLE,
    Blame.ACCESS: ExitCode.ACCESS_DENIED,
    Blame.REMOTE_RULE: ExitCode.NOT_AVAILABLE_REMOTELY,
    Blame.OTHER: ExitCode.FAILURE,
}


def check_exit_code(diagnoses: Iterable[Diagnosis]) -> ExitCode:
    """The first broken host decides, by what kind of problem its broken stage is."""
    for diagnosis in diagnoses:
        broken = diagnosis.broken
        if broken is not None:
            return _EXIT[broken.verdict.blame]
    return ExitCode.OK


def check_document(diagnosis: Diagnosis) -> dict[str, Any]:
    broken = diagnosis.broken
    return {
        "schema": CHECK_SCHEMA,
        "host": diagnosis.host,
        "timestamp": diagnosis.timestamp.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "ok": broken is None,
        "broken_stage": None if broken is None else broken.stage.key,
        "stages": [
            {
                "stage": r.stage.key,
                "title": r.title or r.stage.title,
                "status": r.verdict.outcome.value,
                "detail": r.verdict.detail,
                "fix": r.verdict.fix,
                "seconds": round(r.seconds, 3),
            }
            for r in diagnosis.results
        ],
    }


def render_check_json(diagnoses: Iterable[Diagnosis]) -> str:
    return "".join(json.dumps(check_document(d)) + "\n" for d in diagnoses)


def render_check_csv(diagnoses: Iterable[Diagnosis]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("host", "stage", "status", "detail", "fix"))
    for d in diagnoses:
        for r in d.results:
            writer.writerow(
                (
                    d.host,
                    r.stage.key,
                    r.verdict.outcome.value,
                    r.verdict.detail,
                    r.verdict.fix or "",
                )
            )
    return buffer.getvalue()


def print_check(console: Console, diagnosis: Diagnosis, *, quiet: bool) -> None:
    table = Table(title=None if quiet else f"wua check {diagnosis.host}", title_justify="left")
    table.add_column("Stage", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    table.add_column("Detail", overflow="fold")
    for r in diagnosis.results:
        table.add_row(r.title or r.stage.title, _MARKS[r.verdict.outcome], escape(r.verdict.detail))
    console.print(table)
    if diagnosis.broken is None:
        console.print(f"[green]{diagnosis.host}: every stage passed[/]")


def broken_error(diagnosis: Diagnosis) -> ErrorText | None:
    """The broken stage as the CLI's error parts: the stage's title (it names the port
    tried), what was seen, and the fix; None when every stage passed."""
    broken = diagnosis.broken
    if broken is None:
        return None
    return ErrorText(
        stage=broken.title or broken.stage.title,
        message=broken.verdict.detail,
        fix=broken.verdict.fix,
    )
