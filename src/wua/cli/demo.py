"""`wua demo`: the default emulated host's pending updates, read from its catalog.

This first version needs no network; once the emulator and client exist, the demo will
scan the emulated host over DCOM and print through the same renderer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from wua.cli.catalog_rows import PENDING_CRITERIA, pending_rows
from wua.cli.output import OutputFormat, current_output, make_console, note, output_options
from wua.cli.render import HostUpdates, print_tables, render_csv, render_json
from wua.emulator.catalog import load_catalog
from wua.emulator.catalog.default import default_catalog

EXAMPLES = """
Examples:

\b
  wua demo                       # table of the default host's pending updates
  wua demo --format json | jq .  # one wua.scan/1 object (docs/json-schema/scan-v1.json)
  wua demo --format csv > pending.csv
  wua demo --catalog my-host.yaml
"""


@click.command(epilog=EXAMPLES)
@click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An emulated-host catalog file instead of the default host.",
)
@output_options
def demo(catalog_file: Path | None) -> None:
    """Show the pending updates of the default emulated Windows host.

    Pending means IsInstalled=0 and IsHidden=0, WUA's default search, evaluated by the
    same criteria engine the emulated host answers Search with.
    """
    catalog = load_catalog(catalog_file) if catalog_file else default_catalog()
    report = HostUpdates(
        host=catalog.host.name,
        timestamp=datetime.now(UTC),
        updates=pending_rows(catalog),
    )
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo(render_json([report]), nl=False)
    elif output.format is OutputFormat.CSV:
        click.echo(render_csv([report]), nl=False)
    else:
        print_tables(make_console(), [report], quiet=output.quiet)
    note(
        f"{catalog.host.name} ({catalog.host.os_caption}): {len(report.updates)} pending "
        f"updates matching {PENDING_CRITERIA!r}"
    )
