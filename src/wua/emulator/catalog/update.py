"""The update record: every field that IUpdate … IUpdate5 and IWindowsDriverUpdate … 5 expose.

Field names are the WUA property names in snake case, so the emulator maps a DISPID to a
field without a table of its own. The record also satisfies the search-criteria
evaluator's subject protocol (`type`, `deployment_action`, `is_installed`, …,
`update_id`, `revision_number`, `category_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from wua.emulator.catalog.markers import (
    LONG,
    NON_NEGATIVE_LONG,
    Choice,
    Derived,
    Guid,
    Key,
    Range,
    Ref,
)
from wua.reference.enums import (
    AutoDownloadMode,
    AutoSelectionMode,
    DeploymentAction,
    DownloadPriority,
    InstallationImpact,
    InstallationRebootBehavior,
    UpdateType,
)

MSRC_SEVERITIES = ("", "Critical", "Important", "Moderate", "Low")
SIZE = Range(0, 2**63 - 1)


@dataclass(frozen=True)
class UpdateIdentity:
    """IUpdateIdentity: an update is one revision of one UpdateID."""

    update_id: Annotated[str, Guid()]
    revision_number: Annotated[int, NON_NEGATIVE_LONG]


@dataclass(frozen=True)
class InstallationBehavior:
    """IInstallationBehavior, for installing and (separately) for uninstalling."""

    can_request_user_input: bool = False
    impact: InstallationImpact = InstallationImpact.iiNormal
    reboot_behavior: InstallationRebootBehavior = InstallationRebootBehavior.irbNeverReboots
    requires_network_connectivity: bool = False


@dataclass(frozen=True)
class DownloadContent:
    """IUpdateDownloadContent(2): one file of the update's payload."""

    download_url: str
    is_delta_compressed_content: bool = False


@dataclass(frozen=True)
class ImageInformation:
    """IImageInformation: a picture a UI may show next to an update or category."""

    source: str
    alt_text: str = ""
    height: Annotated[int, NON_NEGATIVE_LONG] = 0
    width: Annotated[int, NON_NEGATIVE_LONG] = 0


@dataclass(frozen=True)
class Eula:
    """IUpdate.EulaText and EulaAccepted (AcceptEula itself is not callable remotely)."""

    text: str = ""
    accepted: bool = True


@dataclass(frozen=True)
class DriverInfo:
    """IWindowsDriverUpdate(Entry): the device a driver update targets."""

    driver_class: str
    driver_hardware_id: str
    driver_manufacturer: str
    driver_model: str
    driver_provider: str
    driver_ver_date: datetime
    device_problem_number: Annotated[int, LONG] = 0
    device_status: Annotated[int, LONG] = 0


@dataclass(frozen=True)
class Update:
    """One update as the emulated host's agent knows it (pending or installed)."""

    identity: Annotated[UpdateIdentity, Key("update", "update_id")]
    title: str
    type: UpdateType
    categories: Annotated[tuple[str, ...], Guid(), Ref("category")]
    last_deployment_change_time: datetime
    max_download_size: Annotated[Decimal, SIZE]
    min_download_size: Annotated[Decimal, SIZE]
    description: str = ""
    kb_article_ids: tuple[str, ...] = ()
    cve_ids: tuple[str, ...] = ()
    security_bulletin_ids: tuple[str, ...] = ()
    msrc_severity: Annotated[str, Choice(MSRC_SEVERITIES)] = ""
    deployment_action: DeploymentAction = DeploymentAction.daInstallation
    download_priority: DownloadPriority = DownloadPriority.dpNormal
    download_contents: tuple[DownloadContent, ...] = ()
    installation_behavior: InstallationBehavior = InstallationBehavior()
    uninstallation_behavior: InstallationBehavior | None = None
    deadline: datetime | None = None
    languages: tuple[str, ...] = ()
    more_info_urls: tuple[str, ...] = ()
    support_url: str = ""
    release_notes: str = ""
    eula: Eula = Eula()
    handler_id: str = ""
    image: ImageInformation | None = None
    recommended_cpu_speed: Annotated[int, NON_NEGATIVE_LONG] = 0
    recommended_hard_disk_space: Annotated[int, NON_NEGATIVE_LONG] = 0
    recommended_memory: Annotated[int, NON_NEGATIVE_LONG] = 0
    uninstallation_notes: str = ""
    uninstallation_steps: tuple[str, ...] = ()
    is_beta: bool = False
    is_mandatory: bool = False
    is_uninstallable: bool = False
    browse_only: bool = False
    auto_select_on_web_sites: bool = True
    is_assigned: bool = True
    per_user: bool = False
    auto_selection: AutoSelectionMode = AutoSelectionMode.asLetWindowsUpdateDecide
    auto_download: AutoDownloadMode = AutoDownloadMode.adLetWindowsUpdateDecide
    delta_compressed_content_available: bool = False
    delta_compressed_content_preferred: bool = True
    can_require_source: bool = False
    driver: DriverInfo | None = None
    driver_entries: tuple[DriverInfo, ...] = ()
    is_installed: bool = False
    is_hidden: bool = False
    is_downloaded: bool = False
    is_present: bool = False
    reboot_required: bool = False
    superseded_update_ids: Annotated[tuple[str, ...], Guid()] = ()
    bundled_updates: Annotated[tuple[str, ...], Guid(), Ref("update")] = ()
    category_ids: Annotated[
        tuple[str, ...],
        Derived("the categories with all their ancestors, from the categories tree"),
    ] = ()

    @property
    def update_id(self) -> str:
        return self.identity.update_id

    @property
    def revision_number(self) -> int:
        return self.identity.revision_number
