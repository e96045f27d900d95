"""`wua check HOST...`: where on the path to a host's WUA a remote call breaks, and why."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import click

from wua.cli.check_render import (
    broken_error,
    check_exit_code,
    print_check,
    render_check_csv,
    render_check_json,
)
from wua.cli.connect_options import ConnectOptions
from wua.cli.connection import CredentialArgs, connection_options
from wua.cli.error_text import human_text
from wua.cli.hosts import new_session, resolve_hosts
from wua.cli.kerberos_logins import KerberosLogins
from wua.cli.output import OutputFormat, current_output, make_console, output_options
from wua.firewall.diagnose import Diagnosis, diagnose
from wua.firewall.probe import Probe, Target
from wua.firewall.stages import STAGES
from wua.rpc.security.kerberos_tickets import KerberosLogin

EXAMPLES = """
Examples:

\b
  wua check srv01 -u 'CORP\\patchadmin'
  wua check 10.0.5.7 -u Administrator --connect-timeout 3 --format json | jq .broken_stage
  WUA_PASSWORD=... wua check 127.0.0.1 -u Administrator      # the emulated host
"""


def probe_for(options: ConnectOptions, login: KerberosLogin | None = None) -> Probe:
    target = Target(
        options.host,
        options.port,
        options.username,
        options.domain,
        options.auth_level.rpc,
        options.connect_timeout,
        kerberos=options.kerberos,
    )
    return Probe(target, lambda level: new_session(options, level, login))


async def _diagnose_all(targets: Sequence[ConnectOptions]) -> list[Diagnosis]:
    """Every host at once, one Kerberos login per account for the run."""
    with KerberosLogins() as logins:
        probes = [probe_for(o, logins.for_options(o)) for o in targets]
        return list(await asyncio.gather(*(diagnose(p, STAGES) for p in probes)))


@click.command(epilog=EXAMPLES)
@click.argument("hosts", nargs=-1, required=True, metavar="HOST...")
@connection_options
@output_options
@click.pass_context
def check(ctx: click.Context, hosts: tuple[str, ...], credentials: CredentialArgs) -> None:
    """Diagnose the path to HOST's Windows Update Agent, stage by stage.

    Name resolution, TCP 135, RPCSS (unauthenticated ServerAlive2), authentication,
    administrator rights and UAC, DCOM hardening, the exporter port (dllhost.exe), WUA
    itself (GetInfo), and whether a remote search is permitted. Stops at the first
    broken stage and names the fix. Exit code: 3 network, 4 access, 5 not available
    remotely, 1 other.
    """
    diagnoses = asyncio.run(_diagnose_all(resolve_hosts(ctx, hosts, credentials)))
    output = current_output()
    if output.format is OutputFormat.JSON:
        click.echo(render_check_json(diagnoses), nl=False)
    elif output.format is OutputFormat.CSV:
        click.echo(render_check_csv(diagnoses), nl=False)
    else:
        console = make_console()
        for diagnosis in diagnoses:
            print_check(console, diagnosis, quiet=output.quiet)
    for diagnosis in diagnoses:
        error = broken_error(diagnosis)
        if error is not None:
            click.echo(human_text(error, diagnosis.host), err=True)
    ctx.exit(int(check_exit_code(diagnoses)))
