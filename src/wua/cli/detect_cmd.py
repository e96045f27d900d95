"""`wua detect HOST...`: ask each host's Automatic Updates to search now
(IAutomaticUpdates::DetectNow). It returns at once; the host searches in the background,
and `wua info` shows when its last search succeeded."""

from __future__ import annotations

import json
from typing import Any

import click

from wua.cli.connection import CredentialArgs, connection_options
from wua.cli.hosts import (
    HostOutcome,
    error_documents,
    exit_code,
    report_errors,
    resolve_hosts,
    run_on_hosts,
    utc_text,
)
from wua.cli.output import OutputFormat, current_output, note, output_options
from wua.client.session import AsyncSession

DETECT_SCHEMA = "wua.detect/1"
EXAMPLES = """
Examples:

\b
  wua detect srv01 -u 'CORP\\patchadmin'
  wua detect srv01 srv02 srv03 -f json
"""


async def detect_now(session: AsyncSession) -> bool:
    automatic = await session.automatic_updates()
    await automatic.detect_now()
    return True


def detect_document(outcome: HostOutcome[bool]) -> dict[str, Any]:
    return {
        "schema": DETECT_SCHEMA,
        "host": outcome.host,
        "timestamp": utc_text(outcome.timestamp),
        "requested": bool(outcome.value),
        "errors": error_documents(outcome, "detect"),
    }


@click.command(epilog=EXAMPLES)
@click.argument("hosts", nargs=-1, required=True, metavar="HOST...")
@connection_options
@output_options
@click.pass_context
def detect(ctx: click.Context, hosts: tuple[str, ...], credentials: CredentialArgs) -> None:
    """Start a detection (search for updates) by Automatic Updates on each HOST."""
    targets = resolve_hosts(ctx, hosts, credentials)
    outcomes = run_on_hosts(targets, detect_now)
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo("".join(json.dumps(detect_document(o)) + "\n" for o in outcomes), nl=False)
    elif output.format is OutputFormat.CSV:
        click.echo(
            "host,requested\n" + "".join(f"{o.host},{bool(o.value)}\n" for o in outcomes), nl=False
        )
    else:
        for outcome in outcomes:
            if outcome.value:
                click.echo(f"{outcome.host}: detection started (IAutomaticUpdates::DetectNow)")
        note("the host searches in the background; `wua info HOST` shows its last search")
    report_errors(outcomes)
    ctx.exit(int(exit_code(outcomes)))
