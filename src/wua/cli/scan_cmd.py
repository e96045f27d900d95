"""`wua scan HOST...`: the pending updates of each host, through IUpdateSearcher::Search."""

from __future__ import annotations

from collections.abc import Sequence

import click

from wua.cli.connection import CredentialArgs, connection_options
from wua.cli.hosts import (
    HostOutcome,
    exit_code,
    host_error,
    report_errors,
    resolve_hosts,
    run_on_hosts,
)
from wua.cli.output import OutputFormat, current_output, make_console, note, output_options
from wua.cli.render import HostUpdates, print_tables, render_csv, render_json
from wua.cli.scan_options import PENDING, SEVERITIES, ScanRequest, ScanUsageError, Server
from wua.cli.scan_reader import HostScan, scan_host
from wua.cli.spinner import searching
from wua.client.session import AsyncSession

EXAMPLES = """
Examples:

\b
  wua scan srv01 -u 'CORP\\patchadmin'
  wua scan srv01 srv02 --category 'Security Updates' --severity Critical -f json
  wua scan srv01 --criteria "IsInstalled=0 and Type='Driver'"
  wua scan srv01 --server microsoft-update --kb 5034441
  wua scan srv01 --offline                  # the host's cached datastore, no download
  wua scan 127.0.0.1 -u Administrator       # the emulated host (wua emulate)
"""


def to_reports(
    outcomes: Sequence[HostOutcome[HostScan]], request: ScanRequest
) -> list[HostUpdates]:
    reports = []
    for outcome in outcomes:
        scanned = outcome.value or HostScan(())
        rows = tuple(r for r in scanned.rows if request.keeps(r))
        errors = (
            () if outcome.error is None else (host_error(outcome.error, "search", outcome.port),)
        )
        reports.append(
            HostUpdates(outcome.host, outcome.timestamp, rows, errors, scanned.computer_name)
        )
    return reports


@click.command(epilog=EXAMPLES)
@click.argument("hosts", nargs=-1, required=True, metavar="HOST...")
@click.option("--criteria", metavar="TEXT", help=f"WUA search criteria (default {PENDING!r}).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="NAME|ID",
    help="Only this classification (name) or category GUID; repeatable (any).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.Choice(SEVERITIES, case_sensitive=False),
    help="Only updates of this MSRC severity; repeatable.",
)
@click.option(
    "--kb",
    "kbs",
    multiple=True,
    metavar="NUMBER",
    help="Only this KB article (5034441 or KB5034441); repeatable.",
)
@click.option(
    "--server",
    type=click.Choice([s.value for s in Server]),
    default=Server.DEFAULT.value,
    show_default=True,
    help="Update source (IUpdateSearcher.ServerSelection).",
)
@click.option("--service-id", metavar="GUID", help="Search this update service.")
@click.option(
    "--offline",
    is_flag=True,
    help="Search the host's cached datastore (IUpdateSearcher.Online = False).",
)
@connection_options
@output_options
@click.pass_context
def scan(
    ctx: click.Context,
    hosts: tuple[str, ...],
    criteria: str | None,
    categories: tuple[str, ...],
    severities: tuple[str, ...],
    kbs: tuple[str, ...],
    server: str,
    service_id: str | None,
    offline: bool,
    credentials: CredentialArgs,
) -> None:
    """List the pending updates of each HOST (one search per host, concurrently).

    Shows KB, title, classification, MSRC severity, size, reboot behaviour and CVE count.
    With --format json: one wua.scan/1 object per host (docs/json-schema/scan-v1.json).
    """
    request = ScanRequest(
        criteria, categories, severities, kbs, Server(server), service_id, offline
    )
    try:
        settings = request.settings()
    except ScanUsageError as error:
        raise click.UsageError(str(error)) from None
    targets = resolve_hosts(ctx, hosts, credentials)

    async def work(session: AsyncSession) -> HostScan:
        return await scan_host(session, settings)

    with searching(f"searching {', '.join(hosts)} ({settings.criteria})"):
        outcomes = run_on_hosts(targets, work)
    reports = to_reports(outcomes, request)
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo(render_json(reports), nl=False)
    elif output.format is OutputFormat.CSV:
        click.echo(render_csv(reports), nl=False)
    else:
        label = "pending updates" if settings.criteria == PENDING else "updates"
        print_tables(
            make_console(), [r for r in reports if not r.errors], quiet=output.quiet, label=label
        )
    report_errors(outcomes)
    found = {o.host: len(o.value.rows) if o.value else 0 for o in outcomes}
    filters = request.local_filters()
    for report in reports:
        if not report.errors:
            line = f"{report.host}: {len(report.updates)} updates matching {settings.criteria!r}"
            if filters:
                line += f" and {filters} (of {found[report.host]} the search found)"
            note(line)
    ctx.exit(int(exit_code(outcomes)))
