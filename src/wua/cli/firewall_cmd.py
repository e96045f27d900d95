"""`wua firewall ...`: the target-side firewall exceptions remote WUA needs."""

from __future__ import annotations

from typing import Any

import click

from wua.cli.firewall_json import rules_json
from wua.cli.output import OutputFormat, current_output
from wua.firewall.rules import (
    IPNetwork,
    Profile,
    RuleFormat,
    RuleScope,
    parse_remote_address,
    render_rules,
)

JSON = "json"

RULES_EXAMPLES = """
Examples:

\b
  wua firewall rules --remote-address 10.0.5.20
  wua firewall rules --remote-address 10.0.5.0/24 --format powershell > wua-fw.ps1
  wua firewall rules --remote-address 10.0.5.20 --remote-address 10.0.6.20 --format gpo
  wua firewall rules --profile private --format netsh
  wua -f json firewall rules -a 10.0.5.20    # the rules' fields, for tools
"""


def _addresses(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[IPNetwork, ...]:
    try:
        return tuple(parse_remote_address(v) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.group(epilog=RULES_EXAMPLES)
def firewall() -> None:
    """Windows Firewall exceptions for remote WUA (run the output on the target)."""


@firewall.command(epilog=RULES_EXAMPLES)
@click.option(
    "--remote-address",
    "-a",
    "remote_addresses",
    multiple=True,
    metavar="CIDR",
    callback=_addresses,
    help="Administrator address or network allowed in (repeatable). Without it the "
    "rules accept any remote address in the chosen profile.",
)
@click.option(
    "--format",
    "-f",
    "rule_format",
    type=click.Choice([*(f.value for f in RuleFormat), JSON]),
    default=None,
    help="netsh commands (the default), New-NetFirewallRule commands, Group Policy "
    "steps, or JSON (also with `wua -f json`).",
)
@click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    default=Profile.DOMAIN.value,
    show_default=True,
    help="Firewall profile the rules apply in; 'any' is domain, private and public.",
)
def rules(remote_addresses: tuple[IPNetwork, ...], rule_format: str | None, profile: str) -> None:
    """Print the two inbound rules of "Using WUA From a Remote Computer".

    Rule 1: TCP 135 to %SystemRoot%\\system32\\svchost.exe, service RpcSs (DCOM
    activation). Rule 2: dynamic RPC ports to %SystemRoot%\\system32\\dllhost.exe (the
    WUA objects live in a DCOM surrogate). Both inbound, allow, TCP only, one profile,
    followed by the commands that verify them.
    """
    scope = RuleScope(remote_addresses=remote_addresses, profile=Profile(profile))
    chosen = rule_format or _from_global_format()
    if chosen == JSON:
        click.echo(rules_json(scope), nl=False)
        return
    click.echo(render_rules(RuleFormat(chosen), scope), nl=False)


def _from_global_format() -> str:
    """`wua -f json firewall rules` means JSON; `-f csv` has no meaning for two rules with
    lists in them, and is refused rather than silently giving netsh text."""
    output = current_output().format
    if output is OutputFormat.JSON:
        return JSON
    if output is OutputFormat.CSV:
        raise click.UsageError(
            "firewall rules has no CSV output: use `wua -f json firewall rules` or "
            "`wua firewall rules --format netsh|powershell|gpo|json`"
        )
    return RuleFormat.NETSH.value


def register(group: Any) -> None:
    group.add_command(firewall)
