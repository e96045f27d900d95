"""Pending updates of a host read through the client into the rows `wua scan` prints.

The reading itself is the client's `scan_pending` (one Search, classifications from the
result's root categories); this module sets up the searcher and maps rows for printing.
The computer's own name is asked beside the search (`read_computer_name`), so it labels
the report at no cost in time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from wua.cli.render import UpdateRow
from wua.client.computer_name import read_computer_name
from wua.client.scan import ScanRow, scan_pending
from wua.client.session import AsyncSession
from wua.errors import AccessDenied, NotAvailableRemotely
from wua.reference.enums import InstallationRebootBehavior, ServerSelection


@dataclass(frozen=True)
class SearchSettings:
    """What the searcher is told before Search: where to look and with what criteria."""

    criteria: str
    online: bool = True
    server_selection: ServerSelection = ServerSelection.ssDefault
    service_id: str | None = None


def to_update_row(row: ScanRow) -> UpdateRow:
    """The client's scan row as the CLI prints it (first KB, CVE count, size in bytes)."""
    return UpdateRow(
        kb=row.kb_article_ids[0] if row.kb_article_ids else "",
        title=row.title,
        classification=row.classification or "",
        msrc_severity=row.msrc_severity or "",
        size_bytes=int(row.max_download_size or 0),
        reboot=row.reboot_behavior or InstallationRebootBehavior.irbNeverReboots,
        cve_count=len(row.cve_ids),
        update_id=row.update_id.lower(),
        revision_number=row.revision_number,
    )


REMOTE_SEARCH_RULE = (
    "Newer builds (Windows Server 2025, Windows 11 after KB5065789) answer "
    "IUpdateSession::CreateUpdateSearcher with E_ACCESSDENIED to remote callers."
)
REMOTE_SEARCH_WORKAROUND = (
    "run the search on the host (a scheduled task running as SYSTEM, or PowerShell "
    "remoting) and collect its output; `wua info` still works remotely"
)


async def create_searcher(session: AsyncSession) -> Any:
    """A searcher; E_ACCESSDENIED here comes after activation accepted the account as an
    administrator, so it is the host's rule against remote searches, not a missing right."""
    try:
        return await session.update_session.create_update_searcher()
    except AccessDenied as error:
        raise NotAvailableRemotely(
            "IUpdateSession::CreateUpdateSearcher was refused",
            rule=REMOTE_SEARCH_RULE,
            workaround=REMOTE_SEARCH_WORKAROUND,
            host=session.host,
        ) from error


async def search_rows(session: AsyncSession, settings: SearchSettings) -> tuple[UpdateRow, ...]:
    """One Search with `settings`, then every found update's row, read concurrently."""
    searcher = await create_searcher(session)
    if not settings.online:
        await searcher.set("online", False)
    if settings.server_selection is not ServerSelection.ssDefault:
        await searcher.set("server_selection", int(settings.server_selection))
    if settings.service_id is not None:
        await searcher.set("service_id", settings.service_id)
    rows = await scan_pending(session, settings.criteria, searcher=searcher)
    return tuple(to_update_row(row) for row in rows)


@dataclass(frozen=True)
class HostScan:
    """What a scan read from one host: its rows and, when it says, its computer name."""

    rows: tuple[UpdateRow, ...]
    computer_name: str | None = None


async def scan_host(session: AsyncSession, settings: SearchSettings) -> HostScan:
    """The search and the computer name side by side; a name that cannot be read leaves
    the field out rather than failing the scan."""
    rows, name = await asyncio.gather(
        search_rows(session, settings),
        read_computer_name(session.address, timeout=session.options.connect_timeout),
    )
    return HostScan(rows, name)
