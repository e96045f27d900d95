"""`wua info HOST...`: the agent's version, the update services and the default one, and
what Automatic Updates lets a remote caller do. Settings WUA does not expose remotely
(IAutomaticUpdates.Settings, ServiceEnabled) are listed as such, with the rule and the
way around it, rather than left out, so nobody mistakes "not shown" for "not set"."""

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
from wua.client.session import AsyncSession
from wua.errors import WuaError
from wua.reference.interfaces import MemberKind, interface
from wua.reference.remote import restriction_for

INFO_SCHEMA = "wua.info/1"
AU_INTERFACE = "IAutomaticUpdates2"
EXAMPLES = """
Examples:

\b
  wua info srv01 -u 'CORP\\patchadmin'
  wua info srv01 -f json | jq -r '.default_service'
"""


@dataclass(frozen=True)
class Service:
    service_id: str
    name: str
    is_default_au_service: bool | None
    is_registered_with_au: bool
    is_managed: bool
    offers_windows_updates: bool


@dataclass(frozen=True)
class AuMember:
    """One IAutomaticUpdates member: may a remote caller use it, and if not, why."""

    name: str
    kind: str
    remote: bool
    rule: str | None
    workaround: str | None


@dataclass(frozen=True)
class HostInfo:
    product_version: str
    api_version: str
    services: tuple[Service, ...]
    last_search_success: datetime | None
    last_installation_success: datetime | None
    au_members: tuple[AuMember, ...]
    unreadable: tuple[str, ...]

    @property
    def default_service(self) -> str | None:
        return next((s.service_id for s in self.services if s.is_default_au_service), None)


def au_members() -> tuple[AuMember, ...]:
    """From the reference's remote rules, not from the host: the rules are the API's."""
    out = []
    for member in interface(AU_INTERFACE).all_members():
        rule = restriction_for(AU_INTERFACE, member.name, member.kind)
        kind = "method" if member.kind is MemberKind.METHOD else "property"
        if member.kind is MemberKind.PROPPUT:
            continue
        out.append(
            AuMember(
                member.name,
                kind,
                rule is None,
                rule.source if rule else None,
                rule.workaround if rule else None,
            )
        )
    return tuple(out)


async def _service(item: Any, unreadable: list[str]) -> Service:
    name, service_id, registered, managed, offers = await asyncio.gather(
        item.name,
        item.service_id,
        item.is_registered_with_au,
        item.is_managed,
        item.offers_windows_updates,
    )
    default: bool | None
    try:
        default = bool(await item.cast("IUpdateService2").is_default_au_service)
    except WuaError as error:
        unreadable.append(f"IUpdateService2.IsDefaultAUService: {error.symbol}")
        default = None
    return Service(
        str(service_id).lower(), str(name), default, bool(registered), bool(managed), bool(offers)
    )


async def read_info(session: AsyncSession) -> HostInfo:
    agent = await session.agent_info()
    version, major, minor = await asyncio.gather(
        agent.get_info("ProductVersionString"),
        agent.get_info("ApiMajorVersion"),
        agent.get_info("ApiMinorVersion"),
    )
    unreadable: list[str] = []
    manager = await session.service_manager()
    services = await asyncio.gather(*(_service(s, unreadable) for s in await manager.services))
    automatic = await session.automatic_updates()
    searched = installed = None
    try:
        results = await automatic.cast(AU_INTERFACE).results
        searched, installed = await asyncio.gather(
            results.last_search_success_date, results.last_installation_success_date
        )
    except WuaError as error:
        unreadable.append(f"IAutomaticUpdates2.Results: {error.symbol}")
    return HostInfo(
        str(version),
        f"{major}.{minor}",
        tuple(services),
        searched,
        installed,
        au_members(),
        tuple(unreadable),
    )


def info_document(outcome: HostOutcome[HostInfo]) -> dict[str, Any]:
    info = outcome.value
    document: dict[str, Any] = {
        "schema": INFO_SCHEMA,
        "host": outcome.host,
        "timestamp": utc_text(outcome.timestamp),
    }
    if info is None:
        document.update(agent=None, services=[], default_service=None, automatic_updates=None)
    else:
        document.update(
            agent={"product_version": info.product_version, "api_version": info.api_version},
            services=[vars(s) for s in info.services],
            default_service=info.default_service,
            automatic_updates={
                "last_search_success": utc_text(info.last_search_success),
                "last_installation_success": utc_text(info.last_installation_success),
                "members": [vars(m) for m in info.au_members],
                "unreadable": list(info.unreadable),
            },
        )
    document["errors"] = error_documents(outcome, "info")
    return document


CSV_HEADER = ("host", "product_version", "service_id", "service", "default", "registered_with_au")


def _csv_rows(outcome: HostOutcome[HostInfo]) -> Iterator[tuple[object, ...]]:
    info = outcome.value
    for s in info.services if info else ():
        yield (
            outcome.host,
            info.product_version if info else "",
            s.service_id,
            s.name,
            s.is_default_au_service,
            s.is_registered_with_au,
        )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never / not readable"


def _print(console: Console, outcome: HostOutcome[HostInfo], quiet: bool) -> None:
    info = outcome.value
    if info is None:
        return
    if not quiet:
        console.print(
            f"[bold]{outcome.host}[/]: Windows Update Agent {info.product_version} "
            f"(API {info.api_version})"
        )
        console.print(
            f"Last successful search: {_when(info.last_search_success)}; "
            f"installation: {_when(info.last_installation_success)}"
        )
    services = Table(title=None if quiet else "Update services", title_justify="left")
    for column in ("Service", "ID", "Default (AU)", "Registered with AU", "Managed"):
        services.add_column(column)
    for s in info.services:
        default = (
            "?" if s.is_default_au_service is None else ("yes" if s.is_default_au_service else "")
        )
        services.add_row(
            escape(s.name),
            s.service_id,
            default,
            "yes" if s.is_registered_with_au else "",
            "yes" if s.is_managed else "",
        )
    console.print(services)
    au = Table(
        title=None if quiet else "Automatic Updates from a remote computer", title_justify="left"
    )
    for column in ("Member", "Remote", "Rule / how instead"):
        au.add_column(column, overflow="fold")
    for m in info.au_members:
        note = "" if m.remote else f"{m.rule} Instead: {m.workaround}"
        au.add_row(
            f"{m.name} ({m.kind})", "[green]yes[/]" if m.remote else "[red]no[/]", escape(note)
        )
    console.print(au)
    for item in info.unreadable:
        console.print(f"[yellow]not readable remotely on this host: {escape(item)}[/]")


REPORT = HostReport(info_document, CSV_HEADER, _csv_rows, _print)


@click.command(epilog=EXAMPLES)
@click.argument("hosts", nargs=-1, required=True, metavar="HOST...")
@connection_options
@output_options
@click.pass_context
def info(ctx: click.Context, hosts: tuple[str, ...], credentials: CredentialArgs) -> None:
    """Show each HOST's agent version, update services, and what Automatic Updates allows
    remotely (settings that cannot be read remotely are shown as such, with the rule)."""
    targets = resolve_hosts(ctx, hosts, credentials)
    finish(ctx, run_on_hosts(targets, read_info), REPORT)
