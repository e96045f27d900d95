"""The emulated host: everything but the update record (see `update.py`).

Each dataclass is one structure of the catalog file (`docs/catalog-format.md`) and, where
WUA exposes it, one interface: `Category` is ICategory, `UpdateService` IUpdateService2,
`HistoryEntry` IUpdateHistoryEntry2, `AgentInfo` IWindowsUpdateAgentInfo::GetInfo,
`AutomaticUpdates` IAutomaticUpdates2/IAutomaticUpdatesResults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from wua.emulator.catalog.markers import (
    LONG,
    NON_NEGATIVE_LONG,
    ULONG,
    Choice,
    Guid,
    HexNumber,
    Key,
    Pattern,
    Ref,
)
from wua.emulator.catalog.update import ImageInformation, Update, UpdateIdentity
from wua.reference.enums import OperationResultCode, ServerSelection, UpdateOperation

FORMAT = "wua-catalog/1"
ARCHITECTURES = ("x64", "x86", "arm64")


class CategoryType(StrEnum):
    """ICategory.Type: the text WUA returns."""

    COMPANY = "Company"
    PRODUCT_FAMILY = "ProductFamily"
    PRODUCT = "Product"
    UPDATE_CLASSIFICATION = "UpdateClassification"


@dataclass(frozen=True)
class Host:
    """The Windows computer being emulated (what an inventory reports about it)."""

    name: Annotated[str, Pattern(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}", "a host name")]
    os_caption: str
    os_version: Annotated[str, Pattern(r"\d+\.\d+\.\d+", "a version such as 10.0.20348")]
    os_build: Annotated[int, NON_NEGATIVE_LONG]
    architecture: Annotated[str, Choice(ARCHITECTURES)] = "x64"
    domain: str | None = None


@dataclass(frozen=True)
class AgentInfo:
    """The answers of IWindowsUpdateAgentInfo::GetInfo for its three identifiers."""

    api_major_version: Annotated[int, NON_NEGATIVE_LONG]
    api_minor_version: Annotated[int, NON_NEGATIVE_LONG]
    product_version_string: Annotated[str, Pattern(r"\d+(\.\d+){3}", "a version a.b.c.d")]


@dataclass(frozen=True)
class Account:
    """A local or domain account that may log on to the emulated host.

    `builtin_admin` is the RID-500 Administrator, which UAC remote restrictions spare;
    any other local administrator is refused remotely while those restrictions apply.
    Exactly one of `password` and `nt_hash` is given.
    """

    name: Annotated[str, Key("account")]
    is_admin: bool
    # Kept out of repr: an Account in a log line or a traceback must not show its secret.
    password: str | None = field(default=None, repr=False)
    nt_hash: Annotated[str | None, Pattern(r"[0-9a-fA-F]{32}", "32 hex digits")] = field(
        default=None, repr=False
    )
    domain: str | None = None
    builtin_admin: bool = False
    description: str = ""


@dataclass(frozen=True)
class UpdateService:
    """IUpdateService2 (and the registration IUpdateServiceManager2 reports for it)."""

    service_id: Annotated[str, Guid(), Key("service")]
    name: str
    issue_date: datetime
    is_managed: bool = False
    is_registered_with_au: bool = False
    is_scan_package_service: bool = False
    is_default_au_service: bool = False
    can_register_with_au: bool = True
    offers_windows_updates: bool = True
    content_validation_cert: bytes | None = None
    expiration_date: datetime | None = None
    redirect_urls: tuple[str, ...] = ()
    service_url: str = ""
    setup_prefix: str = ""


@dataclass(frozen=True)
class AutomaticUpdates:
    """Automatic Updates: whether it runs, and the dates IAutomaticUpdatesResults reports."""

    enabled: bool = True
    last_detection_time: datetime | None = None
    last_search_success_date: datetime | None = None
    last_installation_success_date: datetime | None = None


@dataclass(frozen=True)
class Category:
    """ICategory: one node of the tree (company, family, product or classification)."""

    category_id: Annotated[str, Guid(), Key("category")]
    name: str
    type: CategoryType
    description: str = ""
    order: Annotated[int, LONG] = 0
    parent: Annotated[str | None, Guid(), Ref("category")] = None
    image: ImageInformation | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """IUpdateHistoryEntry2: one past installation or uninstallation attempt."""

    operation: UpdateOperation
    result_code: OperationResultCode
    date: datetime
    update_identity: UpdateIdentity
    title: str
    hresult: Annotated[int, HexNumber(), ULONG] = 0
    unmapped_result_code: Annotated[int, HexNumber(), ULONG] = 0
    description: str = ""
    client_application_id: str = ""
    server_selection: ServerSelection = ServerSelection.ssDefault
    service_id: Annotated[str, Guid()] = "00000000-0000-0000-0000-000000000000"
    uninstallation_steps: tuple[str, ...] = ()
    uninstallation_notes: str = ""
    support_url: str = ""
    categories: Annotated[tuple[str, ...], Guid(), Ref("category")] = ()


@dataclass(frozen=True)
class Catalog:
    """One emulated Windows host: identity, agent, accounts, services, updates, history."""

    format: Annotated[str, Choice((FORMAT,))]
    host: Host
    agent: AgentInfo
    accounts: tuple[Account, ...]
    services: tuple[UpdateService, ...]
    categories: tuple[Category, ...]
    updates: tuple[Update, ...]
    description: str = ""
    automatic_updates: AutomaticUpdates = AutomaticUpdates()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def searchable_updates(self) -> tuple[Update, ...]:
        """The updates a search can return: all but those only reachable as bundle members."""
        bundled = {uid for u in self.updates for uid in u.bundled_updates}
        return tuple(u for u in self.updates if u.update_id not in bundled)

    @property
    def default_service(self) -> UpdateService:
        return next(s for s in self.services if s.is_default_au_service)

    def update(self, update_id: str) -> Update:
        """The update with this UpdateID (any case); KeyError when there is none."""
        wanted = update_id.lower()
        for u in self.updates:
            if u.update_id == wanted:
                return u
        raise KeyError(update_id)

    def category(self, category_id: str) -> Category:
        wanted = category_id.lower()
        for c in self.categories:
            if c.category_id == wanted:
                return c
        raise KeyError(category_id)
