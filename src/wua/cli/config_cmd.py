"""`wua config show HOST`: the connection settings wua would use, and where each came from.

Admins debug "why did it log on as that user" without reading the precedence rules.
The password is never shown, only its source.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Any

import click
from rich.table import Table

from wua.cli.config import load_config
from wua.cli.connect_options import ConnectOptions
from wua.cli.connection import (
    CredentialArgs,
    connection_options,
    resolve_connect_options,
    terminal_prompt,
)
from wua.cli.output import OutputFormat, current_output, make_console, output_options, warn
from wua.cli.secret import MASK

SHOW_EXAMPLES = """
Examples:

\b
  wua config show srv01.corp.example
  wua config show srv01 -u 'CORP\\patchadmin' --format json
  WUA_CONFIG=./lab.toml wua config show lab-07.lab.example
"""


def _needs_password(opts: ConnectOptions) -> bool:
    return opts.username is not None and not opts.kerberos and opts.nt_hash is None


@click.group(epilog=SHOW_EXAMPLES)
def config() -> None:
    """Inspect the config file (~/.config/wua/config.toml, --config or WUA_CONFIG)."""


@config.command(epilog=SHOW_EXAMPLES)
@click.argument("host")
@click.option(
    "--read-password",
    is_flag=True,
    help="Also read the password (its file, or the prompt) to check that it can be read.",
)
@connection_options
@output_options
@click.pass_context
def show(ctx: click.Context, host: str, read_password: bool, credentials: CredentialArgs) -> None:
    """Show the settings for HOST after command line, environment and config are merged.

    Nothing is sent to HOST. The password's source is shown, never its value; without
    --read-password, a password that would be asked for is not asked for.
    """
    cfg = load_config(ctx.meta.get("wua.config"), os.environ)
    resolved = resolve_connect_options(
        host,
        credentials,
        cfg,
        os.environ,
        prompt=terminal_prompt if read_password else None,
        warn=warn,
    )
    opts = resolved.options
    rows: list[tuple[str, Any, str]] = [
        ("host", opts.host, "argument"),
        ("port", opts.port, resolved.sources.get("port", "")),
        ("username", opts.username, resolved.sources.get("username", "")),
        ("domain", opts.domain, resolved.sources.get("domain", "")),
        (
            "password",
            MASK if opts.secret else None,
            resolved.sources.get(
                "password", "prompt (when needed)" if _needs_password(opts) else ""
            ),
        ),
        ("nt_hash", MASK if opts.nt_hash else None, resolved.sources.get("nt_hash", "")),
        ("kerberos", opts.kerberos, resolved.sources.get("kerberos", "")),
        ("auth_level", opts.auth_level.value, resolved.sources.get("auth_level", "")),
        ("connect_timeout", opts.connect_timeout, resolved.sources.get("connect_timeout", "")),
        ("call_timeout", opts.call_timeout, resolved.sources.get("call_timeout", "")),
    ]
    fmt = current_output().format
    if fmt is OutputFormat.JSON:
        doc = {name: {"value": value, "source": source} for name, value, source in rows}
        click.echo(json.dumps(doc))
        return
    if fmt is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(("setting", "value", "source"))
        writer.writerows((n, "" if v is None else v, s) for n, v, s in rows)
        click.echo(buffer.getvalue(), nl=False)
        return
    table = Table(title=f"Connection settings for {host}", title_justify="left")
    for column in ("Setting", "Value", "Source"):
        table.add_column(column)
    for name, value, source in rows:
        table.add_row(name, "-" if value is None else str(value), source or "-")
    make_console().print(table)
