"""The rows of "pending updates of a host" and their table, JSON and CSV renderings.

`wua demo` fills the rows from a catalog, `wua scan` will fill them from the network
client; both print through here, so a script sees the same columns and the same
versioned JSON (`docs/json-schema/scan-v1.json`) whichever produced them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from wua.cli.error_text import ErrorText, error_document
from wua.reference.enums import InstallationRebootBehavior

SCAN_SCHEMA = "wua.scan/1"

REBOOT_LABELS: dict[InstallationRebootBehavior, str] = {
    InstallationRebootBehavior.irbNeverReboots: "never",
    InstallationRebootBehavior.irbAlwaysRequiresReboot: "required",
    InstallationRebootBehavior.irbCanRequestReboot: "may request",
}

SEVERITY_STYLES = {"Critical": "bold red", "Important": "red", "Moderate": "yellow", "Low": "cyan"}


@dataclass(frozen=True)
class UpdateRow:
    """One pending update as an inventory sees it.

    `cve_count` is the length of IUpdate.CveIDs, what any WUA client can count remotely.
    """

    kb: str
    title: str
    classification: str
    msrc_severity: str
    size_bytes: int
    reboot: InstallationRebootBehavior
    cve_count: int
    update_id: str
    revision_number: int


# A failure on one host, kept with the result instead of aborting the whole run.
HostError = ErrorText


@dataclass(frozen=True)
class HostUpdates:
    host: str
    timestamp: datetime
    updates: tuple[UpdateRow, ...]
    errors: tuple[HostError, ...] = ()
    computer_name: str | None = None

    @property
    def label(self) -> str:
        """The address the user gave, and the computer's own name beside it when known."""
        if self.computer_name and self.computer_name != self.host:
            return f"{self.host} ({self.computer_name})"
        return self.host


def human_size(size: int) -> str:
    """Binary units, as Windows Update shows download sizes."""
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _kb_text(kb: str) -> str:
    return f"KB{kb}" if kb else ""


def host_document(report: HostUpdates) -> dict[str, Any]:
    """One `wua.scan/1` object: the JSON shape the schema file documents."""
    document = _host_document(report)
    if report.computer_name:
        document["computer_name"] = report.computer_name
    return document


def _host_document(report: HostUpdates) -> dict[str, Any]:
    return {
        "schema": SCAN_SCHEMA,
        "host": report.host,
        "timestamp": _timestamp(report.timestamp),
        "updates": [
            {
                "kb": _kb_text(row.kb) or None,
                "title": row.title,
                "classification": row.classification or None,
                "msrc_severity": row.msrc_severity or None,
                "size_bytes": row.size_bytes,
                "reboot": REBOOT_LABELS[row.reboot],
                "cve_count": row.cve_count,
                "update_id": row.update_id,
                "revision_number": row.revision_number,
            }
            for row in report.updates
        ],
        "errors": [error_document(error) for error in report.errors],
    }


def render_json(reports: Iterable[HostUpdates]) -> str:
    """JSON Lines: one `wua.scan/1` object per host and line, so a fleet streams."""
    return "".join(json.dumps(host_document(r), ensure_ascii=True) + "\n" for r in reports)


CSV_COLUMNS = (
    "host",
    "kb",
    "title",
    "classification",
    "msrc_severity",
    "size_bytes",
    "reboot",
    "cve_count",
    "update_id",
    "revision_number",
    "computer_name",  # last: added after the first release, so column positions hold
)


def render_csv(reports: Iterable[HostUpdates]) -> str:
    """One row per (host, update); errors are not rows (they go to stderr)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        for row in report.updates:
            writer.writerow(
                (
                    report.host,
                    _kb_text(row.kb),
                    row.title,
                    row.classification,
                    row.msrc_severity,
                    row.size_bytes,
                    REBOOT_LABELS[row.reboot],
                    row.cve_count,
                    row.update_id,
                    row.revision_number,
                    report.computer_name or "",
                )
            )
    return buffer.getvalue()


def updates_table(
    report: HostUpdates, *, title: bool = True, label: str = "pending updates"
) -> Table:
    """`label` names what the rows are: "pending updates" only fits the default criteria
    (a search for IsInstalled=1 lists installed ones)."""
    total = sum(row.size_bytes for row in report.updates)
    table = Table(
        title=(
            f"{report.label}: {len(report.updates)} {label} ({human_size(total)})"
            if title
            else None
        ),
        title_justify="left",
    )
    table.add_column("KB", no_wrap=True)
    table.add_column("Title", overflow="fold")
    table.add_column("Classification")
    table.add_column("Severity")
    table.add_column("Size", justify="right", no_wrap=True)
    table.add_column("Reboot")
    table.add_column("CVEs", justify="right")
    for row in report.updates:
        severity = row.msrc_severity or "-"
        table.add_row(
            _kb_text(row.kb) or "-",
            row.title,
            row.classification or "-",
            f"[{SEVERITY_STYLES[severity]}]{severity}[/]"
            if severity in SEVERITY_STYLES
            else severity,
            human_size(row.size_bytes),
            REBOOT_LABELS[row.reboot],
            str(row.cve_count),
        )
    return table


def print_tables(
    console: Console,
    reports: Sequence[HostUpdates],
    *,
    quiet: bool,
    label: str = "pending updates",
) -> None:
    for report in reports:
        if not report.updates and not report.errors:
            # a table of headers only reads like a failure to render
            if not quiet:
                console.print(f"{report.label}: no {label}", highlight=False)
            continue
        console.print(updates_table(report, title=not quiet, label=label))
        for error in report.errors:
            console.print(f"[red]{report.label} ({error.where}): {error.message}[/]")
