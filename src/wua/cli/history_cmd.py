"""`wua history HOST...`: what the host's Windows Update did (IUpdateSearcher::QueryHistory),
each entry's HRESULT decoded with the reference table, so "0x8024200B" reads as words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wua.cli.connection import CredentialArgs, connection_options
from wua.cli.hosts import (
    HostOutcome,
    HostReport,
    error_documents,
    finish,
    resolve_hosts,
    run_on_hosts,
    utc_text,
)
from wua.cli.output import output_options
from wua.cli.scan_reader import create_searcher
from wua.client.session import AsyncSession
from wua.reference.enums import OperationResultCode, UpdateOperation
from wua.reference.hresults import lookup

HISTORY_SCHEMA = "wua.history/1"
OPERATIONS = {
    UpdateOperation.uoInstallation: "installation",
    UpdateOperation.uoUninstallation: "uninstallation",
}
RESULTS = {
    OperationResultCode.orcNotStarted: "not started",
    OperationResultCode.orcInProgress: "in progress",
    OperationResultCode.orcSucceeded: "succeeded",
    OperationResultCode.orcSucceededWithErrors: "succeeded with errors",
    OperationResultCode.orcFailed: "failed",
    OperationResultCode.orcAborted: "aborted",
}
EXAMPLES = """
Examples:

\b
  wua history srv01 -u 'CORP\\patchadmin'
  wua history srv01 --limit 200 -f json | jq '.entries[] | select(.result=="failed")'
  wua history srv01 srv02 -f csv > history.csv
"""


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime | None
    operation: str
    result: str
    hresult: int
    title: str
    update_id: str
    client_application_id: str

    @property
    def symbol(self) -> str:
        return lookup(self.hresult).symbol

    @property
    def meaning(self) -> str:
        return lookup(self.hresult).meaning


@dataclass(frozen=True)
class History:
    total: int
    entries: tuple[HistoryEntry, ...]


async def _entry(entry: Any) -> HistoryEntry:
    async def update_id() -> str:
        return str(await (await entry.update_identity).update_id).lower()

    date, operation, result, hresult, title, ident, app = await asyncio.gather(
        entry.date,
        entry.operation,
        entry.result_code,
        entry.hresult,
        entry.title,
        update_id(),
        entry.client_application_id,
    )
    return HistoryEntry(
        date,
        OPERATIONS.get(UpdateOperation(int(operation)), str(operation)),
        RESULTS.get(OperationResultCode(int(result)), str(result)),
        int(hresult) & 0xFFFFFFFF,
        str(title),
        ident,
        str(app or ""),
    )


async def read_history(session: AsyncSession, limit: int) -> History:
    """The newest `limit` entries (QueryHistory counts from the newest)."""
    searcher = await create_searcher(session)
    total = int(await searcher.get_total_history_count())
    count = min(limit, total)
    entries = await searcher.query_history(0, count) if count else []
    return History(total, tuple(await asyncio.gather(*(_entry(e) for e in entries))))


def history_document(outcome: HostOutcome[History]) -> dict[str, Any]:
    history = outcome.value
    return {
        "schema": HISTORY_SCHEMA,
        "host": outcome.host,
        "timestamp": utc_text(outcome.timestamp),
        "total": None if history is None else history.total,
        "entries": [
            {
                "date": utc_text(e.date),
                "operation": e.operation,
                "result": e.result,
                "hresult": f"0x{e.hresult:08X}",
                "symbol": e.symbol,
                "meaning": e.meaning,
                "title": e.title,
                "update_id": e.update_id,
                "client_application_id": e.client_application_id or None,
            }
            for e in (history.entries if history else ())
        ],
        "errors": error_documents(outcome, "history"),
    }


CSV_HEADER = ("host", "date", "operation", "result", "hresult", "symbol", "title", "update_id")


def _csv_rows(outcome: HostOutcome[History]) -> Iterator[tuple[str | None, ...]]:
    for e in outcome.value.entries if outcome.value else ():
        yield (
            outcome.host,
            utc_text(e.date),
            e.operation,
            e.result,
            f"0x{e.hresult:08X}",
            e.symbol,
            e.title,
            e.update_id,
        )


_STYLES = {"failed": "red", "aborted": "yellow", "succeeded with errors": "yellow"}


def _print(console: Console, outcome: HostOutcome[History], quiet: bool) -> None:
    history = outcome.value
    if history is None:
        return
    title = f"{outcome.host}: {len(history.entries)} of {history.total} history entries"
    table = Table(title=None if quiet else title, title_justify="left")
    for column in ("Date (UTC)", "Operation", "Result", "HRESULT", "Title"):
        table.add_column(column, overflow="fold")
    for e in history.entries:
        style = _STYLES.get(e.result)
        result = f"[{style}]{e.result}[/]" if style else e.result
        code = "-" if e.hresult == 0 else f"0x{e.hresult:08X} {e.symbol}: {escape(e.meaning)}"
        date = e.date.strftime("%Y-%m-%d %H:%M") if e.date else "-"
        table.add_row(date, e.operation, result, code, escape(e.title))
    console.print(table)


REPORT = HostReport(history_document, CSV_HEADER, _csv_rows, _print)


@click.command(epilog=EXAMPLES)
@click.argument("hosts", nargs=-1, required=True, metavar="HOST...")
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="At most this many entries per host, newest first.",
)
@connection_options
@output_options
@click.pass_context
def history(
    ctx: click.Context, hosts: tuple[str, ...], limit: int, credentials: CredentialArgs
) -> None:
    """Show each HOST's update history: date, operation, result and decoded HRESULT."""
    targets = resolve_hosts(ctx, hosts, credentials)

    async def work(session: AsyncSession) -> History:
        return await read_history(session, limit)

    finish(ctx, run_on_hosts(targets, work), REPORT)
