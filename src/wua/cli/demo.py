"""`wua demo`: start the default emulated host on loopback, in this process, scan it
through the real client over DCOM, and print the result as `wua scan` does.

This is the product's main job end to end on one machine with nothing to set up: the
emulated host answers on TCP 135 when run as root (a high port chosen by the OS
otherwise, or when 135 is taken), the client activates Microsoft.Update.Session, the
host searches, and the rows are read through IDispatch like on a real Windows host.
"""

from __future__ import annotations

import asyncio
import errno
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click

from wua.cli.output import OutputFormat, current_output, make_console, note, output_options
from wua.cli.render import HostUpdates, UpdateRow, print_tables, render_csv, render_json
from wua.cli.scan_options import PENDING
from wua.cli.scan_reader import SearchSettings, search_rows
from wua.cli.spinner import searching
from wua.client.connect import build_session
from wua.emulator.catalog import Account, Catalog, load_catalog
from wua.emulator.catalog.default import default_catalog
from wua.emulator.server import EmulatedFleet, HostConfig
from wua.errors import CatalogError

EXAMPLES = """
Examples:

\b
  wua demo                       # table of the default host's pending updates
  wua demo --format json | jq .  # one wua.scan/1 object (docs/json-schema/scan-v1.json)
  wua demo --format csv > pending.csv
  wua demo --catalog my-host.yaml
"""
LOOPBACK = "127.0.0.1"
WINDOWS_RPC_PORT = 135


@dataclass(frozen=True)
class DemoScan:
    port: int
    account: str
    rows: tuple[UpdateRow, ...]


def demo_account(catalog: Catalog) -> Account:
    """The account the demo logs on with: an administrator UAC does not filter."""
    for account in catalog.accounts:
        if account.is_admin and account.password and (account.builtin_admin or account.domain):
            return account
    raise CatalogError(
        "the catalog has no administrator with a password that may log on "
        "remotely (the built-in Administrator, or a domain account)",
        field="accounts",
    )


async def _serve_and_scan(catalog: Catalog, port: int) -> DemoScan:
    account = demo_account(catalog)
    async with EmulatedFleet([HostConfig(LOOPBACK, catalog, resolver_port=port)]) as fleet:
        bound = fleet.hosts[0].resolver_port or port
        session = build_session(
            f"{LOOPBACK}:{bound}", account.name, account.password, domain=account.domain or ""
        )
        await session.open()
        try:
            rows = await search_rows(session, SearchSettings(PENDING))
        finally:
            await session.close()
    return DemoScan(bound, account.name, rows)


def serve_and_scan(catalog: Catalog) -> DemoScan:
    """Port 135 when root may bind it, else (or when it is taken) one the OS picks."""
    if os.geteuid() == 0:
        try:
            return asyncio.run(_serve_and_scan(catalog, WINDOWS_RPC_PORT))
        except OSError as error:
            if error.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            # 135 is in use (another emulated host?): take a free port instead
    return asyncio.run(_serve_and_scan(catalog, 0))


@click.command(epilog=EXAMPLES)
@click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An emulated-host catalog file instead of the default host.",
)
@output_options
def demo(catalog_file: Path | None) -> None:
    """Start an emulated Windows host on loopback and show its pending updates.

    The host runs in this process; the scan goes through the real client over DCOM
    (activation on TCP 135, NTLM with packet privacy, IUpdateSearcher::Search), exactly
    as `wua scan` does against a Windows host.
    """
    catalog = load_catalog(catalog_file) if catalog_file else default_catalog()
    with searching(f"starting {catalog.host.name} on {LOOPBACK} and searching ({PENDING})"):
        scanned = serve_and_scan(catalog)
    report = HostUpdates(
        host=LOOPBACK,
        timestamp=datetime.now(UTC),
        updates=scanned.rows,
        computer_name=catalog.host.name,
    )
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo(render_json([report]), nl=False)
    elif output.format is OutputFormat.CSV:
        click.echo(render_csv([report]), nl=False)
    else:
        print_tables(make_console(), [report], quiet=output.quiet)
    note(
        f"{catalog.host.name} ({catalog.host.os_caption}) emulated on "
        f"{LOOPBACK}:{scanned.port}, scanned over DCOM as {scanned.account}: "
        f"{len(report.updates)} pending updates matching {PENDING!r}"
    )
