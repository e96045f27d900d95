"""What every command that talks to hosts shares: options per host, sessions, failures.

Each HOST argument gets its own resolved `ConnectOptions` (the config file may give each
host a different account) and its own session; one host failing does not stop the
others, and the exit code is the first failure's, so `wua scan a b && ...` behaves.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, NoReturn, TypeVar

import click
from rich.console import Console

from wua.cli.config import load_config
from wua.cli.connect_options import ConnectOptions
from wua.cli.connection import CredentialArgs, terminal_prompt
from wua.cli.error_text import describe, error_document, human_text
from wua.cli.exit_codes import ExitCode, exit_code_for
from wua.cli.kerberos_logins import KerberosLogins
from wua.cli.output import OutputFormat, current_output, make_console, warn
from wua.cli.render import HostError
from wua.cli.shared_credentials import resolve_for_hosts
from wua.client.connect import build_session
from wua.client.session import AsyncSession
from wua.errors import WuaError
from wua.rpc.security.base import AuthLevel
from wua.rpc.security.kerberos_tickets import KerberosLogin

T = TypeVar("T")


def resolve_hosts(
    ctx: click.Context, hosts: Sequence[str], credentials: CredentialArgs
) -> list[ConnectOptions]:
    """Options for each host, prompting once per account where a password is needed."""
    config = load_config(ctx.meta.get("wua.config"), os.environ)
    return resolve_for_hosts(
        hosts, credentials, config, os.environ, prompt=terminal_prompt, warn=warn
    )


def new_session(
    options: ConnectOptions,
    level: AuthLevel | None = None,
    login: KerberosLogin | None = None,
) -> AsyncSession:
    """An unopened session; `level` overrides the options' authentication level; `login`
    is the run's shared Kerberos login for this account, if any."""
    return build_session(
        f"{options.host}:{options.port}",
        options.username or "",
        options.secret,
        nt_hash=options.nt_hash_bytes(),
        domain=options.domain or "",
        kerberos=options.kerberos,
        auth_level=options.auth_level.rpc if level is None else level,
        timeout=options.connect_timeout,
        call_timeout=options.call_timeout,
        kerberos_login=login,
    )


def host_error(error: WuaError, stage: str, port: int | None = None) -> HostError:
    """The failure as kept with a host's result: the stage the error names, or `stage`."""
    return describe(error, stage, port=port)


@dataclass(frozen=True)
class HostOutcome(Generic[T]):
    """One host's result, or the error that replaced it."""

    host: str
    timestamp: datetime
    value: T | None
    error: WuaError | None = None
    port: int | None = None


async def _one(
    options: ConnectOptions,
    work: Callable[[AsyncSession], Awaitable[T]],
    login: KerberosLogin | None = None,
) -> HostOutcome[T]:
    session = new_session(options, login=login)
    try:
        await session.open()
    except WuaError as error:
        return HostOutcome(options.host, datetime.now(UTC), None, error, options.port)
    try:
        value = await work(session)
    except WuaError as error:
        return HostOutcome(options.host, datetime.now(UTC), None, error, options.port)
    finally:
        await session.close()
    return HostOutcome(options.host, datetime.now(UTC), value, None, options.port)


def run_on_hosts(
    targets: Sequence[ConnectOptions], work: Callable[[AsyncSession], Awaitable[T]]
) -> list[HostOutcome[T]]:
    """Run `work` on every host concurrently, each in a session of its own."""

    async def everything() -> list[HostOutcome[T]]:
        with KerberosLogins() as logins:
            runs = (_one(options, work, logins.for_options(options)) for options in targets)
            return list(await asyncio.gather(*runs))

    return asyncio.run(everything())


def exit_code(outcomes: Sequence[HostOutcome[T]]) -> ExitCode:
    for outcome in outcomes:
        if outcome.error is not None:
            return exit_code_for(outcome.error)
    return ExitCode.OK


def report_errors(outcomes: Sequence[HostOutcome[T]], stage: str | None = None) -> None:
    """Errors go to stderr whatever the format, so stdout stays data."""
    for outcome in outcomes:
        if outcome.error is not None:
            text = describe(outcome.error, stage, port=outcome.port)
            click.echo(human_text(text, outcome.host), err=True)


def utc_text(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, as every wua JSON schema writes times."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def error_documents(outcome: HostOutcome[T], stage: str) -> list[dict[str, object]]:
    """The `errors` array of a host's JSON object (the shape of scan-v1's errors)."""
    if outcome.error is None:
        return []
    return [error_document(host_error(outcome.error, stage, outcome.port))]


@dataclass(frozen=True)
class HostReport(Generic[T]):
    """How a host command shows its outcomes in each output format; `finish` does the rest
    the same way for every command, so JSON stays one object a line, CSV one header, and
    errors and the exit code never differ between commands."""

    document: Callable[[HostOutcome[T]], dict[str, Any]]
    csv_header: tuple[str, ...]
    csv_rows: Callable[[HostOutcome[T]], Iterable[Sequence[object]]]
    print_outcome: Callable[[Console, HostOutcome[T], bool], None]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def finish(
    ctx: click.Context, outcomes: Sequence[HostOutcome[T]], report: HostReport[T]
) -> NoReturn:
    """Write the outcomes in the chosen format, the errors to stderr, and exit."""
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo("".join(json.dumps(report.document(o)) + "\n" for o in outcomes), nl=False)
    elif output.format is OutputFormat.CSV:
        rows = (row for outcome in outcomes for row in report.csv_rows(outcome))
        click.echo(csv_text(report.csv_header, rows), nl=False)
    else:
        console = make_console()
        for outcome in outcomes:
            report.print_outcome(console, outcome, output.quiet)
    report_errors(outcomes)
    ctx.exit(int(exit_code(outcomes)))
