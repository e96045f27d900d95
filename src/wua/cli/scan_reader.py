"""Pending updates of a host read through the client into the rows `wua scan` prints.

Why read the classification by ID: an update's categories mix products and one
classification; comparing each category's ID with the reference's classification IDs
costs one call per category, where reading Type and Name would cost two.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from wua.cli.render import UpdateRow
from wua.client.session import AsyncSession
from wua.errors import AccessDenied, NotAvailableRemotely
from wua.reference.coclasses import classifications
from wua.reference.enums import InstallationRebootBehavior, ServerSelection


@dataclass(frozen=True)
class SearchSettings:
    """What the searcher is told before Search: where to look and with what criteria."""

    criteria: str
    online: bool = True
    server_selection: ServerSelection = ServerSelection.ssDefault
    service_id: str | None = None


async def _classification(update: Any) -> str:
    names = {c.id: c.name for c in classifications()}
    ids = await asyncio.gather(*(category.category_id for category in await update.categories))
    return next((names[i.lower()] for i in ids if i.lower() in names), "")


async def read_row(update: Any) -> UpdateRow:
    async def identity() -> tuple[str, int]:
        ident = await update.identity
        update_id, revision = await asyncio.gather(ident.update_id, ident.revision_number)
        return str(update_id).lower(), int(revision)

    async def reboot() -> InstallationRebootBehavior:
        behaviour = await update.installation_behavior
        return InstallationRebootBehavior(int(await behaviour.reboot_behavior))

    (
        title,
        (update_id, revision),
        kbs,
        cves,
        severity,
        classification,
        size,
        behaviour,
    ) = await asyncio.gather(
        update.title,
        identity(),
        update.kb_article_ids,
        update.cve_ids,
        update.msrc_severity,
        _classification(update),
        update.max_download_size,
        reboot(),
    )
    return UpdateRow(
        kb=str(kbs[0]) if kbs else "",
        title=str(title),
        classification=classification,
        msrc_severity=str(severity or ""),
        size_bytes=int(size or 0),
        reboot=behaviour,
        cve_count=len(cves or ()),
        update_id=update_id,
        revision_number=revision,
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
    result = await searcher.search(settings.criteria)
    updates = await result.updates
    return tuple(await asyncio.gather(*(read_row(u) for u in updates)))
