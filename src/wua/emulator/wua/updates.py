"""IUpdate and its satellites, answered from one catalog update record.

A software update answers IUpdate, IUpdate2 … IUpdate5; a driver update answers IUpdate
and IWindowsDriverUpdate … IWindowsDriverUpdate5 but *not* IUpdate2 … 5 (the driver
line re-declares RebootRequired, IsPresent, CveIDs, BrowseOnly, PerUser, AutoSelection
and AutoDownload on its own interfaces). Scalar properties read the catalog field of the
same name (see `base`); collections and sub-objects are built on each read, read-only.
"""

from __future__ import annotations

from typing import ClassVar

from wua.emulator.catalog import (
    DownloadContent,
    DriverInfo,
    InstallationBehavior,
    Update,
    UpdateIdentity,
)
from wua.emulator.wua.base import (
    GET,
    EmulatedObject,
    Field,
    FieldTable,
    HandlerTable,
    by_name,
    converted,
)
from wua.emulator.wua.categories import CategoryObject
from wua.emulator.wua.collections import (
    CategoryCollectionObject,
    UpdateCollectionObject,
    UpdateDownloadContentCollectionObject,
    WindowsDriverUpdateEntryCollectionObject,
    strings,
)
from wua.emulator.wua.images import image_object
from wua.emulator.wua.state import HostState
from wua.reference.enums import UpdateType

SOFTWARE_INTERFACES = ("IUpdate", "IUpdate2", "IUpdate3", "IUpdate4", "IUpdate5")
DRIVER_INTERFACES = (
    "IUpdate",
    "IWindowsDriverUpdate",
    "IWindowsDriverUpdate2",
    "IWindowsDriverUpdate3",
    "IWindowsDriverUpdate4",
    "IWindowsDriverUpdate5",
)
_DRIVER_FIELDS = (
    "DriverClass",
    "DriverHardwareID",
    "DriverManufacturer",
    "DriverModel",
    "DriverProvider",
    "DriverVerDate",
    "DeviceProblemNumber",
    "DeviceStatus",
)


class UpdateIdentityObject(EmulatedObject):
    INTERFACES = ("IUpdateIdentity",)
    FIELDS: ClassVar[FieldTable] = by_name("RevisionNumber", "UpdateID")

    def __init__(self, identity: UpdateIdentity) -> None:
        self.source = identity


class InstallationBehaviorObject(EmulatedObject):
    INTERFACES = ("IInstallationBehavior",)
    FIELDS: ClassVar[FieldTable] = by_name(
        "CanRequestUserInput", "Impact", "RebootBehavior", "RequiresNetworkConnectivity"
    )

    def __init__(self, behavior: InstallationBehavior) -> None:
        self.source = behavior


class UpdateDownloadContentObject(EmulatedObject):
    INTERFACES = ("IUpdateDownloadContent", "IUpdateDownloadContent2")
    FIELDS: ClassVar[FieldTable] = by_name("DownloadUrl", "IsDeltaCompressedContent")

    def __init__(self, content: DownloadContent) -> None:
        self.source = content


class WindowsDriverUpdateEntryObject(EmulatedObject):
    INTERFACES = ("IWindowsDriverUpdateEntry",)
    FIELDS: ClassVar[FieldTable] = by_name(*_DRIVER_FIELDS)

    def __init__(self, driver: DriverInfo) -> None:
        self.source = driver


def _optional_behavior(behavior: InstallationBehavior | None) -> InstallationBehaviorObject | None:
    return None if behavior is None else InstallationBehaviorObject(behavior)


def _download_contents(
    contents: tuple[DownloadContent, ...],
) -> UpdateDownloadContentCollectionObject:
    return UpdateDownloadContentCollectionObject(UpdateDownloadContentObject(c) for c in contents)


class UpdateObject(EmulatedObject):
    """One update of the host, as IUpdate… or IWindowsDriverUpdate… (see module doc)."""

    HANDLERS: ClassVar[HandlerTable] = {
        ("BundledUpdates", GET): "bundled_updates",
        ("Categories", GET): "categories",
        ("WindowsDriverUpdateEntries", GET): "driver_entries",
    }
    FIELDS: ClassVar[FieldTable] = {
        **by_name(
            "Title",
            "AutoSelectOnWebSites",
            "CanRequireSource",
            "Deadline",
            "DeltaCompressedContentAvailable",
            "DeltaCompressedContentPreferred",
            "Description",
            "HandlerID",
            "IsBeta",
            "IsDownloaded",
            "IsHidden",
            "IsInstalled",
            "IsMandatory",
            "IsUninstallable",
            "LastDeploymentChangeTime",
            "MaxDownloadSize",
            "MinDownloadSize",
            "MsrcSeverity",
            "RecommendedCpuSpeed",
            "RecommendedHardDiskSpace",
            "RecommendedMemory",
            "ReleaseNotes",
            "SupportUrl",
            "Type",
            "UninstallationNotes",
            "DeploymentAction",
            "DownloadPriority",
            "RebootRequired",
            "IsPresent",
            "BrowseOnly",
            "PerUser",
            "AutoSelection",
            "AutoDownload",
        ),
        **converted(
            strings,
            "Languages",
            "MoreInfoUrls",
            "SecurityBulletinIDs",
            "SupersededUpdateIDs",
            "UninstallationSteps",
            "KBArticleIDs",
            "CveIDs",
        ),
        **converted(_download_contents, "DownloadContents"),
        **converted(image_object, "Image"),
        **converted(InstallationBehaviorObject, "InstallationBehavior"),
        **converted(_optional_behavior, "UninstallationBehavior"),
        "Identity": Field("identity", UpdateIdentityObject),
        "EulaAccepted": "eula.accepted",
        "EulaText": "eula.text",
        **{name: f"driver.{field}" for name, field in by_name(*_DRIVER_FIELDS).items()},
    }

    def __init__(self, state: HostState, record: Update) -> None:
        self.state = state
        self.source = record
        self.record = record

    def interfaces(self) -> tuple[str, ...]:
        if self.record.type is UpdateType.utDriver:
            return DRIVER_INTERFACES
        return SOFTWARE_INTERFACES

    def __repr__(self) -> str:
        return f"<UpdateObject {self.record.update_id} {self.record.title!r}>"

    def bundled_updates(self) -> UpdateCollectionObject:
        members = (self.state.catalog.update(uid) for uid in self.record.bundled_updates)
        return UpdateCollectionObject(UpdateObject(self.state, u) for u in members)

    def categories(self) -> CategoryCollectionObject:
        """The update's own categories (product and classification), not their ancestors."""
        catalog = self.state.catalog
        scope = catalog.searchable_updates
        return CategoryCollectionObject(
            CategoryObject(self.state, catalog.category(cid), scope)
            for cid in self.record.categories
        )

    def driver_entries(self) -> WindowsDriverUpdateEntryCollectionObject:
        """IWindowsDriverUpdate4.WindowsDriverUpdateEntries: the entries, else the one driver."""
        entries = self.record.driver_entries or (
            (self.record.driver,) if self.record.driver is not None else ()
        )
        return WindowsDriverUpdateEntryCollectionObject(
            WindowsDriverUpdateEntryObject(e) for e in entries
        )
