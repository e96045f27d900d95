"""`wua emulate`: run emulated Windows hosts in the foreground until Ctrl-C / SIGTERM.

Each host listens on its own loopback address (TCP 135, or the port given) plus a
dynamic exporter port, as a Windows host's RPCSS and dllhost.exe do. Accounts come from
the catalog; `--account`, `--accounts-file` and WUA_EMULATE_ACCOUNTS add or replace some
for this run (see `emulate_accounts`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import os
import signal
from pathlib import Path

import click

from wua.cli.emulate_accounts import (
    ACCOUNT_ON_COMMAND_LINE,
    ACCOUNTS_ENV,
    extra_accounts,
    parse_account,
)
from wua.emulator.catalog import Account, Catalog, generate_hosts, load_catalog
from wua.emulator.catalog.default import default_catalog
from wua.emulator.server import (
    DEFAULT_PING_PERIOD,
    DEFAULT_RESOLVER_PORT,
    EmulatedFleet,
    HostConfig,
    PortState,
    WireFaults,
    addresses_from,
)
from wua.emulator.wua import HostBehaviour
from wua.rpc.security.kerberos_acceptor import KerberosKeytab

__all__ = ["emulate", "parse_account", "parse_listen", "with_accounts"]

EXAMPLES = """
Examples:

\b
  sudo wua emulate                              # the default host on 127.0.0.1:135
  wua emulate --listen 127.0.0.5:1135           # a high port: no root needed
  sudo wua emulate --hosts 200 --base 127.1.0.1 # 200 generated hosts
  wua emulate --catalog host.yaml --listen 127.0.0.9:1135 --search-seconds 30
  wua emulate --listen 127.0.0.7:1135 --drop-exporter   # dllhost firewall rule missing
"""


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, DEFAULT_RESOLVER_PORT
    if not port.isdigit() or int(port) > 65535:
        raise click.BadParameter(f"{text!r}: expected ADDR or ADDR:PORT")
    return host, int(port)


def with_accounts(catalog: Catalog, extra: list[Account]) -> Catalog:
    if not extra:
        return catalog
    names = {a.name.casefold() for a in extra}
    kept = tuple(a for a in catalog.accounts if a.name.casefold() not in names)
    return dataclasses.replace(catalog, accounts=kept + tuple(extra))


@click.command(epilog=EXAMPLES)
@click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The catalog every host serves (default: the demo host; "
    "with --hosts and no catalog, generated hosts).",
)
@click.option(
    "--listen",
    "listen",
    multiple=True,
    metavar="ADDR[:PORT]",
    help="A host's address (every 127.x.y.z is its own host); repeatable.",
)
@click.option("--hosts", "count", type=click.IntRange(1, 65_000), help="Serve N hosts ...")
@click.option(
    "--base",
    default="127.1.0.1",
    show_default=True,
    help="... on consecutive addresses from this one.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_RESOLVER_PORT,
    show_default=True,
    help="The resolver port for --hosts (135 needs root).",
)
@click.option(
    "--account",
    "accounts",
    multiple=True,
    metavar="NAME:PASSWORD[:admin|user]",
    help="Add an account (visible in ps: prefer --accounts-file or the catalog).",
)
@click.option(
    "--accounts-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=f"Add accounts, one NAME:PASSWORD[:admin|user] a line (mode 600); or {ACCOUNTS_ENV}.",
)
@click.option(
    "--keytab",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Accept Kerberos with the keys of this keytab (host/NAME principals), as a "
    "domain member does; without it, hosts are workgroup machines (NTLM only).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of generated hosts.")
@click.option(
    "--search-seconds",
    type=click.FloatRange(0),
    default=0.0,
    help="How long an online Search takes.",
)
@click.option(
    "--latency",
    type=click.FloatRange(0),
    default=0.0,
    help="Seconds added to every call on the exporter port.",
)
@click.option(
    "--search-error",
    metavar="HRESULT",
    help="Online searches fail with this HRESULT, e.g. 0x8024401C.",
)
@click.option("--refuse-135", is_flag=True, help="Do not listen on the resolver port.")
@click.option("--drop-exporter", is_flag=True, help="The exporter port accepts but never answers.")
@click.option("--reset-every", type=click.IntRange(1), help="Reset every Nth exporter call.")
@click.option(
    "--ping-period",
    type=click.FloatRange(0.01),
    default=DEFAULT_PING_PERIOD,
    show_default=True,
    help="Objects not pinged for 3 periods are collected.",
)
def emulate(
    catalog_file: Path | None,
    listen: tuple[str, ...],
    count: int | None,
    base: str,
    port: int,
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    keytab: Path | None,
    seed: int,
    search_seconds: float,
    latency: float,
    search_error: str | None,
    refuse_135: bool,
    drop_exporter: bool,
    reset_every: int | None,
    ping_period: float,
) -> None:
    """Run emulated Windows hosts (WUA over DCOM) until Ctrl-C or SIGTERM."""
    extra = extra_accounts(accounts, accounts_file, os.environ)
    if accounts:
        click.echo(ACCOUNT_ON_COMMAND_LINE, err=True)
    try:
        error = None if search_error is None else int(search_error, 0)
    except ValueError:
        raise click.BadParameter(
            f"{search_error!r} is not a number", param_hint="--search-error"
        ) from None
    behaviour = HostBehaviour(
        search_seconds=search_seconds, call_latency_seconds=latency, search_error=error
    )
    faults = WireFaults(
        resolver=PortState.REFUSED if refuse_135 else PortState.OPEN,
        exporter=PortState.DROPPED if drop_exporter else PortState.OPEN,
        reset_every=reset_every,
    )
    if keytab is not None:
        try:
            KerberosKeytab(keytab)  # the hosts read it again; this says why it is unusable
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--keytab") from None
    places = [parse_listen(item) for item in listen]
    if count is not None:
        places += [(address, port) for address in addresses_from(base, count)]
    if not places:
        places = [("127.0.0.1", DEFAULT_RESOLVER_PORT)]
    if catalog_file is not None:
        catalogs = [load_catalog(catalog_file)] * len(places)
    elif count is not None:
        catalogs = generate_hosts(len(places), seed=seed)
    else:
        catalogs = [default_catalog()] * len(places)
    configs = [
        HostConfig(
            address,
            with_accounts(catalog, extra),
            behaviour=behaviour,
            faults=faults,
            resolver_port=resolver,
            ping_period=ping_period,
            keytab=keytab,
        )
        for (address, resolver), catalog in zip(places, catalogs, strict=True)
    ]
    try:
        asyncio.run(_serve(configs))
    except PermissionError as exc:
        raise click.ClickException(
            f"{exc}: port 135 needs root; use --listen ADDR:PORT with a high port"
        ) from None

    except OSError as exc:
        hint = ""
        if exc.errno == errno.EADDRINUSE:
            hint = (
                "; something (another `wua emulate`?) already listens there: stop it, or "
                "pick another address (every 127.x.y.z is its own host) or port"
            )
        elif exc.errno == errno.EADDRNOTAVAIL:
            hint = "; the address is not this machine's: use one in 127.0.0.0/8"
        raise click.ClickException(f"cannot listen: {exc}{hint}") from None


async def _serve(configs: list[HostConfig]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with EmulatedFleet(configs) as fleet:
        for host in fleet.hosts:
            click.echo(host.summary().line())
        click.echo(f"{len(fleet.hosts)} emulated host(s) running; Ctrl-C to stop", err=True)
        await stop.wait()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):
            loop.remove_signal_handler(sig)
    click.echo("stopped", err=True)
