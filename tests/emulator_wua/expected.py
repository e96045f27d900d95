"""What each readable member must answer, written from the catalog record by hand.

Independent of the emulator's own field bindings: a property bound to the wrong field,
or a collection built from the wrong list, disagrees with this table. Each entry maps
(interface, member) to a function of (record, catalog) giving the plain value; `plain`
in the coverage test turns what `invoke` returned into the same plain form.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from wua.emulator.catalog import Catalog, Category, InstallationBehavior
from wua.reference import MemberKind, interface
from wua.reference.coclasses import DEFAULT_SERVICE
from wua.reference.enums import (
    OperationResultCode,
    SearchScope,
    ServerSelection,
    UpdateServiceRegistrationState,
)

OLE_DAY_ZERO_YEAR = 1899
Expect = Callable[[Any, Catalog], object]


def s32(value: int) -> int:
    signed: int = struct.unpack("<i", struct.pack("<I", value))[0]
    return signed


def behaviour(b: InstallationBehavior | None) -> object:
    if b is None:
        return None
    return (b.can_request_user_input, b.impact, b.reboot_behavior, b.requires_network_connectivity)


def holding(c: Catalog, category_id: str, scope: tuple[Any, ...]) -> frozenset[str]:
    return frozenset(u.update_id for u in scope if category_id in u.category_ids)


def children(c: Catalog, category: Category) -> frozenset[str]:
    return frozenset(
        k.category_id
        for k in c.categories
        if k.parent == category.category_id and holding(c, k.category_id, c.searchable_updates)
    )


def pending(c: Catalog) -> tuple[Any, ...]:
    return tuple(u for u in c.searchable_updates if not u.is_installed)


_UPDATE: dict[str, Expect] = {
    "Title": lambda r, c: r.title,
    "AutoSelectOnWebSites": lambda r, c: r.auto_select_on_web_sites,
    "BundledUpdates": lambda r, c: tuple(r.bundled_updates),
    "CanRequireSource": lambda r, c: r.can_require_source,
    "Categories": lambda r, c: tuple(r.categories),
    "Deadline": lambda r, c: r.deadline,
    "DeltaCompressedContentAvailable": lambda r, c: r.delta_compressed_content_available,
    "DeltaCompressedContentPreferred": lambda r, c: r.delta_compressed_content_preferred,
    "Description": lambda r, c: r.description,
    "EulaAccepted": lambda r, c: r.eula.accepted,
    "EulaText": lambda r, c: r.eula.text,
    "HandlerID": lambda r, c: r.handler_id,
    "Identity": lambda r, c: (r.update_id, r.revision_number),
    "Image": lambda r, c: None if r.image is None else r.image.source,
    "InstallationBehavior": lambda r, c: behaviour(r.installation_behavior),
    "IsBeta": lambda r, c: r.is_beta,
    "IsDownloaded": lambda r, c: r.is_downloaded,
    "IsHidden": lambda r, c: r.is_hidden,
    "IsInstalled": lambda r, c: r.is_installed,
    "IsMandatory": lambda r, c: r.is_mandatory,
    "IsUninstallable": lambda r, c: r.is_uninstallable,
    "Languages": lambda r, c: tuple(r.languages),
    "LastDeploymentChangeTime": lambda r, c: r.last_deployment_change_time,
    "MaxDownloadSize": lambda r, c: r.max_download_size,
    "MinDownloadSize": lambda r, c: r.min_download_size,
    "MoreInfoUrls": lambda r, c: tuple(r.more_info_urls),
    "MsrcSeverity": lambda r, c: r.msrc_severity,
    "RecommendedCpuSpeed": lambda r, c: r.recommended_cpu_speed,
    "RecommendedHardDiskSpace": lambda r, c: r.recommended_hard_disk_space,
    "RecommendedMemory": lambda r, c: r.recommended_memory,
    "ReleaseNotes": lambda r, c: r.release_notes,
    "SecurityBulletinIDs": lambda r, c: tuple(r.security_bulletin_ids),
    "SupersededUpdateIDs": lambda r, c: tuple(r.superseded_update_ids),
    "SupportUrl": lambda r, c: r.support_url,
    "Type": lambda r, c: r.type,
    "UninstallationNotes": lambda r, c: r.uninstallation_notes,
    "UninstallationBehavior": lambda r, c: behaviour(r.uninstallation_behavior),
    "UninstallationSteps": lambda r, c: tuple(r.uninstallation_steps),
    "KBArticleIDs": lambda r, c: tuple(r.kb_article_ids),
    "DeploymentAction": lambda r, c: r.deployment_action,
    "DownloadPriority": lambda r, c: r.download_priority,
    "DownloadContents": lambda r, c: tuple(d.download_url for d in r.download_contents),
}
_UPDATE_LATER: dict[str, Expect] = {
    "RebootRequired": lambda r, c: r.reboot_required,
    "IsPresent": lambda r, c: r.is_present,
    "CveIDs": lambda r, c: tuple(r.cve_ids),
    "BrowseOnly": lambda r, c: r.browse_only,
    "PerUser": lambda r, c: r.per_user,
    "AutoSelection": lambda r, c: r.auto_selection,
    "AutoDownload": lambda r, c: r.auto_download,
    "WindowsDriverUpdateEntries": lambda r, c: tuple(
        e.driver_hardware_id for e in (r.driver_entries or (r.driver,))
    ),
}
_DRIVER: dict[str, Expect] = {
    "DriverClass": lambda r, c: r.driver_class,
    "DriverHardwareID": lambda r, c: r.driver_hardware_id,
    "DriverManufacturer": lambda r, c: r.driver_manufacturer,
    "DriverModel": lambda r, c: r.driver_model,
    "DriverProvider": lambda r, c: r.driver_provider,
    "DriverVerDate": lambda r, c: r.driver_ver_date,
    "DeviceProblemNumber": lambda r, c: r.device_problem_number,
    "DeviceStatus": lambda r, c: r.device_status,
}


def _of_driver(expect: Expect) -> Expect:
    """An IWindowsDriverUpdate expectation: the update's driver fields."""
    return lambda r, c: expect(r.driver, c)


def _collection(key: Callable[[Any], object], read_only: bool | None = None) -> dict[str, Expect]:
    table: dict[str, Expect] = {
        "Item": lambda r, c: key(r[0]),
        "_NewEnum": lambda r, c: tuple(key(x) for x in r),
        "Count": lambda r, c: len(r),
    }
    if read_only is not None:
        table["ReadOnly"] = lambda r, c: read_only
    return table


def _on(interface: str, table: dict[str, Expect]) -> dict[tuple[str, str], Expect]:
    return {(interface, member): f for member, f in table.items()}


EXPECTED: dict[tuple[str, str], Expect] = {
    **_on("IUpdate", _UPDATE),
    **{
        (i, m.name): _UPDATE_LATER[m.name]
        for i in (
            "IUpdate2",
            "IUpdate3",
            "IUpdate4",
            "IUpdate5",
            "IWindowsDriverUpdate2",
            "IWindowsDriverUpdate3",
            "IWindowsDriverUpdate4",
            "IWindowsDriverUpdate5",
        )
        for m in interface(i).members
        if m.kind is MemberKind.PROPGET and m.name in _UPDATE_LATER
    },
    **_on(
        "IWindowsDriverUpdate",
        {m: _of_driver(f) for m, f in _DRIVER.items()},
    ),
    **_on("IWindowsDriverUpdateEntry", _DRIVER),
    **_on("IWindowsDriverUpdateEntryCollection", _collection(lambda e: e.driver_hardware_id)),
    **_on(
        "IUpdateIdentity",
        {"RevisionNumber": lambda r, c: r.revision_number, "UpdateID": lambda r, c: r.update_id},
    ),
    **_on(
        "IImageInformation",
        {
            "AltText": lambda r, c: r.alt_text,
            "Height": lambda r, c: r.height,
            "Source": lambda r, c: r.source,
            "Width": lambda r, c: r.width,
        },
    ),
    **_on(
        "IInstallationBehavior",
        {
            "CanRequestUserInput": lambda r, c: r.can_request_user_input,
            "Impact": lambda r, c: r.impact,
            "RebootBehavior": lambda r, c: r.reboot_behavior,
            "RequiresNetworkConnectivity": lambda r, c: r.requires_network_connectivity,
        },
    ),
    **_on("IStringCollection", _collection(lambda s: s, read_only=True)),
    **_on("IUpdateCollection", _collection(lambda u: u.update_id, read_only=True)),
    **_on("ICategoryCollection", _collection(lambda k: k.category_id)),
    **_on("IUpdateExceptionCollection", _collection(lambda w: s32(w.hresult))),
    **_on("IUpdateDownloadContentCollection", _collection(lambda d: d.download_url)),
    **_on("IUpdateServiceCollection", _collection(lambda s: s.service_id)),
    **_on("IUpdateHistoryEntryCollection", _collection(lambda e: (e.date, e.title))),
    **_on("IUpdateDownloadContent", {"DownloadUrl": lambda r, c: r.download_url}),
    **_on(
        "IUpdateDownloadContent2",
        {"IsDeltaCompressedContent": lambda r, c: r.is_delta_compressed_content},
    ),
    **_on(
        "ISearchResult",
        {
            "ResultCode": lambda r, c: OperationResultCode.orcSucceededWithErrors,
            "RootCategories": lambda r, c: frozenset(
                k.category_id
                for k in c.categories
                if k.parent is None and holding(c, k.category_id, r)
            ),
            "Updates": lambda r, c: tuple(u.update_id for u in r),
            "Warnings": lambda r, c: (s32(0x8024402C),),
        },
    ),
    **_on(
        "ICategory",
        {
            "Name": lambda r, c: r.name,
            "CategoryID": lambda r, c: r.category_id,
            "Children": lambda r, c: children(c, r),
            "Description": lambda r, c: r.description,
            "Image": lambda r, c: None if r.image is None else r.image.source,
            "Order": lambda r, c: r.order,
            "Parent": lambda r, c: r.parent,
            "Type": lambda r, c: str(r.type),
            "Updates": lambda r, c: holding(c, r.category_id, c.searchable_updates),
        },
    ),
    **_on(
        "IUpdateException",
        {
            "Message": lambda r, c: r.message,
            "HResult": lambda r, c: s32(r.hresult),
            "Context": lambda r, c: r.context,
        },
    ),
    **_on(
        "IUpdateHistoryEntry",
        {
            "Operation": lambda r, c: r.operation,
            "ResultCode": lambda r, c: r.result_code,
            "HResult": lambda r, c: s32(r.hresult),
            "Date": lambda r, c: r.date,
            "UpdateIdentity": lambda r, c: (
                r.update_identity.update_id,
                r.update_identity.revision_number,
            ),
            "Title": lambda r, c: r.title,
            "Description": lambda r, c: r.description,
            "UnmappedResultCode": lambda r, c: s32(r.unmapped_result_code),
            "ClientApplicationID": lambda r, c: r.client_application_id,
            "ServerSelection": lambda r, c: r.server_selection,
            "ServiceID": lambda r, c: (
                r.service_id if r.server_selection is ServerSelection.ssOthers else None
            ),
            "UninstallationSteps": lambda r, c: tuple(r.uninstallation_steps),
            "UninstallationNotes": lambda r, c: r.uninstallation_notes,
            "SupportUrl": lambda r, c: r.support_url,
        },
    ),
    **_on("IUpdateHistoryEntry2", {"Categories": lambda r, c: tuple(r.categories)}),
    **_on(
        "IUpdateSearcher",
        {
            "CanAutomaticallyUpgradeService": lambda r, c: False,
            "ClientApplicationID": lambda r, c: "",
            "IncludePotentiallySupersededUpdates": lambda r, c: True,
            "ServerSelection": lambda r, c: ServerSelection.ssDefault,
            "Online": lambda r, c: True,
            "ServiceID": lambda r, c: DEFAULT_SERVICE,
        },
    ),
    **_on("IUpdateSearcher2", {"IgnoreDownloadPriority": lambda r, c: False}),
    **_on("IUpdateSearcher3", {"SearchScope": lambda r, c: SearchScope.searchScopeDefault}),
    **_on(
        "IUpdateSession",
        {"ClientApplicationID": lambda r, c: "", "ReadOnly": lambda r, c: False},
    ),
    **_on("IUpdateSession2", {"UserLocale": lambda r, c: 1033}),
    **_on(
        "IUpdateServiceManager",
        {"Services": lambda r, c: tuple(s.service_id for s in c.services)},
    ),
    **_on("IUpdateServiceManager2", {"ClientApplicationID": lambda r, c: ""}),
    **_on(
        "IUpdateService",
        {
            "Name": lambda r, c: r.name,
            "ContentValidationCert": lambda r, c: r.content_validation_cert,
            "ExpirationDate": lambda r, c: r.expiration_date or "OLE day zero",
            "IsManaged": lambda r, c: r.is_managed,
            "IsRegisteredWithAU": lambda r, c: r.is_registered_with_au,
            "IssueDate": lambda r, c: r.issue_date,
            "OffersWindowsUpdates": lambda r, c: r.offers_windows_updates,
            "RedirectUrls": lambda r, c: tuple(r.redirect_urls),
            "ServiceID": lambda r, c: r.service_id,
            "IsScanPackageService": lambda r, c: r.is_scan_package_service,
            "CanRegisterWithAU": lambda r, c: r.can_register_with_au,
            "ServiceUrl": lambda r, c: r.service_url,
            "SetupPrefix": lambda r, c: r.setup_prefix,
        },
    ),
    **_on("IUpdateService2", {"IsDefaultAUService": lambda r, c: r.is_default_au_service}),
    **_on(
        "IUpdateServiceRegistration",
        {
            "RegistrationState": lambda r, c: UpdateServiceRegistrationState.usrsRegistered,
            "ServiceID": lambda r, c: r.service_id,
            "IsPendingRegistrationWithAU": lambda r, c: False,
            "Service": lambda r, c: r.service_id,
        },
    ),
    **_on("IAutomaticUpdates2", {"Results": lambda r, c: r.last_search_success_date}),
    **_on(
        "IAutomaticUpdatesResults",
        {
            "LastSearchSuccessDate": lambda r, c: r.last_search_success_date,
            "LastInstallationSuccessDate": lambda r, c: r.last_installation_success_date,
        },
    ),
}
