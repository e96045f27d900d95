"""Update families: how each classification's updates look, as catalog documents.

Security updates come from the real KB data (KB number, date, MSRC severity, example CVEs,
supersedence). The other classifications are not in that data and are synthesized in the
shape Windows shows them (Defender definitions under KB2267602, the Malicious Software
Removal Tool under KB890830, the Windows Security platform under KB5007651, cumulative
update previews, .NET Framework cumulative updates, drivers titled
"Manufacturer - Class - Version"); their other KB numbers are made up. Each draft names its
lineage, the updates that replace one another (`supersedence.py` links them). A `Draft` is an
update's document without its per-host state, plus what the history needs to know.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from wua.emulator.catalog.ids import (
    derived_guid,
    fraction,
    hex_digest,
    revision_for,
    update_id_for_kb,
)
from wua.emulator.catalog.kbdata import KbRecord
from wua.emulator.catalog.products import Product
from wua.reference import classification

CBS_HANDLER = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Cbs"
DRIVER_HANDLER = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsDriver"
COMMAND_LINE_HANDLER = (
    "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/CommandLineInstallation"
)
MSI_HANDLER = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsInstaller"
DOWNLOAD_HOST = "http://download.windowsupdate.com"
SUPPORT = "https://support.microsoft.com/help"

# Realistic failure HRESULTs per kind of update, with the installer's own code where
# Windows reports one in UnmappedResultCode.
CBS_FAILURES = ((0x800F0922, 0x800F0922), (0x80073712, 0x80073712), (0x8024200B, 0x800F0922))
MSI_FAILURES = ((0x80070643, 0x80070643), (0x8024200B, 0x80070643))
DRIVER_FAILURES = ((0x80240022, 0x80070103), (0x8024200B, 0x80070103))
DEFENDER_FAILURES = ((0x80070643, 0x80070643), (0x80240022, 0x80070643))

DEFENDER_PRODUCT = "Microsoft Defender Antivirus"
# The OS's monthly cumulative updates and their previews: one lineage, because each month's
# update contains every earlier month's fixes.
OS_CUMULATIVE = "os-cumulative"


@dataclass(frozen=True)
class Draft:
    """An update's document (no state fields yet) and what its history entries need."""

    document: dict[str, Any]
    posted: datetime
    failures: tuple[tuple[int, int], ...]
    client_application_id: str
    # Updates of one lineage replace each other (see `supersedence.py`); "" = replaces none.
    lineage: str = ""

    @property
    def update_id(self) -> str:
        identity: dict[str, Any] = self.document["identity"]
        return str(identity["update_id"])


def at_release_time(day: date) -> datetime:
    """Monthly updates go out at 17:00 UTC (10:00 in Redmond)."""
    return datetime.combine(day, time(17, 0), tzinfo=UTC)


def text_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _size(salt: str, low_mb: int, high_mb: int) -> int:
    span = high_mb - low_mb
    return (low_mb + int(fraction(salt, "size") * span)) * 1024 * 1024 + int(
        fraction(salt, "bytes") * 1024 * 1024
    )


def _base(
    update_id: str, title: str, classification_name: str, product_category: str, posted: datetime
) -> dict[str, Any]:
    return {
        "identity": {"update_id": update_id, "revision_number": revision_for(update_id)},
        "title": title,
        "type": "utSoftware",
        "categories": [product_category, classification(classification_name).id],
        "last_deployment_change_time": text_time(posted),
    }


def _payload(
    salt: str, year_month: str, file_name: str, low_mb: int, high_mb: int
) -> dict[str, Any]:
    size = _size(salt, low_mb, high_mb)
    url = (
        f"{DOWNLOAD_HOST}/d/msdownload/update/software/{year_month}/{file_name}_{hex_digest(salt)}"
    )
    return {
        "max_download_size": size,
        "min_download_size": size // 5,
        "download_contents": [{"download_url": url}],
    }


def security_draft(record: KbRecord, prod: Product) -> Draft:
    """A real monthly security KB as the OS's cumulative (or rollup) security update."""
    posted = at_release_time(record.first_posted)
    ym = record.first_posted.strftime("%Y-%m")
    update_id = update_id_for_kb(record.kb, prod.csv_name)
    kind = prod.monthly_kind if record.supersedes_kbs else "Security Update"
    title = f"{ym} {kind} for {prod.title_name} ({record.kb})"
    doc = _base(update_id, title, "Security Updates", prod.category_id, posted)
    advisories = [c for c in record.example_cves if not c.startswith("CVE-")]
    doc.update(
        {
            "description": (
                f"A security issue has been identified in a Microsoft software product that could "
                f"affect your system. This update addresses {record.cve_count} CVEs; the most "
                f"affected component is {record.top_component}. After you install this item, "
                f"you may have to restart your computer."
            ),
            "kb_article_ids": [record.kb_number],
            "cve_ids": [c for c in record.example_cves if c.startswith("CVE-")],
            "security_bulletin_ids": advisories,
            "msrc_severity": record.max_msrc_severity,
            "more_info_urls": [f"{SUPPORT}/{record.kb_number}"],
            "support_url": f"{SUPPORT}/{record.kb_number}",
            "handler_id": CBS_HANDLER,
            "installation_behavior": {"reboot_behavior": "irbAlwaysRequiresReboot"},
            "uninstallation_behavior": {"reboot_behavior": "irbAlwaysRequiresReboot"},
            "is_uninstallable": True,
            "uninstallation_notes": "This software update can be removed from Installed Updates.",
            "delta_compressed_content_available": True,
            "superseded_update_ids": [
                update_id_for_kb(kb, prod.csv_name) for kb in record.supersedes_kbs
            ],
            **_payload(
                update_id, ym.replace("-", "/"), f"windows-{record.kb.lower()}-x64", 250, 900
            ),
        }
    )
    return Draft(doc, posted, CBS_FAILURES, "UpdateOrchestrator", OS_CUMULATIVE)


def with_bundle_member(draft: Draft) -> tuple[Draft, Draft]:
    """The update as a bundle of one member that carries the payload, as Windows ships
    cumulative updates: (the bundle, its member)."""
    parent = dict(draft.document)
    member = dict(draft.document)
    member_id = derived_guid("bundle-member", draft.update_id)
    member["identity"] = {"update_id": member_id, "revision_number": revision_for(member_id)}
    for key in ("superseded_update_ids", "bundled_updates"):
        member.pop(key, None)
    parent.pop("download_contents", None)
    parent["bundled_updates"] = [member_id]
    return (
        Draft(parent, draft.posted, draft.failures, draft.client_application_id, draft.lineage),
        Draft(member, draft.posted, draft.failures, draft.client_application_id),
    )


@dataclass(frozen=True)
class Device:
    """A device a driver update targets (names and IDs as such devices report them)."""

    manufacturer: str
    driver_class: str
    model: str
    hardware_id: str
    major: int


DEVICES: tuple[Device, ...] = (
    Device(
        "Intel Corporation",
        "System",
        "Intel(R) Management Engine Interface #1",
        r"PCI\VEN_8086&DEV_A13A",
        2241,
    ),
    Device("Broadcom", "Net", "Broadcom NetXtreme Gigabit Ethernet", r"PCI\VEN_14E4&DEV_165F", 226),
    Device(
        "Matrox Electronic Systems Ltd.",
        "Display",
        "Matrox G200eW3 (Nuvoton) WDDM 2.0",
        r"PCI\VEN_102B&DEV_0536",
        5,
    ),
    Device(
        "Mellanox", "Net", "Mellanox ConnectX-4 Lx Ethernet Adapter", r"PCI\VEN_15B3&DEV_1015", 3
    ),
    Device("HPE", "SCSIAdapter", "HPE Smart Array P408i-a SR Gen10", r"PCI\VEN_9005&DEV_028F", 106),
    Device("Advanced Micro Devices, Inc.", "System", "AMD GPIO Controller", r"ACPI\AMDI0030", 2),
    Device("Emulex", "Net", "Emulex LightPulse LPe31002-M6 FC HBA", r"PCI\VEN_10DF&DEV_E300", 14),
    Device("Intel", "SCSIAdapter", "Intel(R) VROC SATA Controller", r"PCI\VEN_8086&DEV_2822", 8),
)


def driver_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """A driver from the device table, titled the way Windows Update titles drivers."""
    device = DEVICES[index % len(DEVICES)]
    minor = int(fraction(salt, "driver", str(index)) * 900) + 10
    version = f"{device.major}.{minor}.{index}.{posted.year % 100}"
    title = f"{device.manufacturer} - {device.driver_class} - {version}"
    update_id = derived_guid("driver", prod.csv_name, device.hardware_id, version)
    doc = _base(update_id, title, "Drivers", prod.category_id, posted)
    doc["type"] = "utDriver"
    doc.update(
        {
            "description": f"{device.manufacturer} {device.driver_class} driver update released in {posted:%B %Y}",
            "handler_id": DRIVER_HANDLER,
            "installation_behavior": {"reboot_behavior": "irbCanRequestReboot"},
            "driver": {
                "driver_class": device.driver_class,
                "driver_hardware_id": device.hardware_id,
                "driver_manufacturer": device.manufacturer,
                "driver_model": device.model,
                "driver_provider": device.manufacturer,
                "driver_ver_date": text_time(posted - timedelta(days=30)),
            },
            "auto_select_on_web_sites": False,
            "browse_only": True,
            **_payload(
                update_id, f"{posted:%Y/%m}", f"{device.driver_class.lower()}-driver", 1, 40
            ),
        }
    )
    return Draft(doc, posted, DRIVER_FAILURES, "UpdateOrchestrator", f"driver|{device.hardware_id}")


def definition_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """A Defender security intelligence update (always KB2267602, a new version each time)."""
    days = (posted.date() - date(2022, 1, 1)).days
    version = f"1.{357 + days // 30}.{(days % 30) * 30 + 10}.0"
    title = f"Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version {version})"
    update_id = derived_guid("definitions", prod.csv_name, version)
    doc = _base(
        update_id,
        title,
        "Definition Updates",
        derived_guid("category", "product", DEFENDER_PRODUCT),
        posted,
    )
    doc.update(
        {
            "description": "Install this update to revise the files that are used to detect viruses, spyware, and other potentially unwanted software.",
            "kb_article_ids": ["2267602"],
            "more_info_urls": ["https://go.microsoft.com/fwlink/?linkid=2007160"],
            "handler_id": COMMAND_LINE_HANDLER,
            "download_priority": "dpHigh",
            "auto_selection": "asAlwaysAutoSelect",
            "auto_download": "adAlwaysAutoDownload",
            **_payload(update_id, f"{posted:%Y/%m}", "am_delta", 1, 60),
        }
    )
    return Draft(doc, posted, DEFENDER_FAILURES, "Windows Defender", "defender-definitions")


def rollup_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """The monthly Malicious Software Removal Tool (KB890830)."""
    months = (posted.year - 2022) * 12 + posted.month - 1
    title = f"Windows Malicious Software Removal Tool x64 - v5.{97 + months} (KB890830)"
    update_id = derived_guid("msrt", prod.csv_name, str(months))
    doc = _base(update_id, title, "Update Rollups", prod.category_id, posted)
    doc.update(
        {
            "description": "After the download, this tool runs one time to check your computer for infection by specific, prevalent malicious software and helps remove any infection that is found.",
            "kb_article_ids": ["890830"],
            "more_info_urls": [f"{SUPPORT}/890830"],
            "handler_id": COMMAND_LINE_HANDLER,
            "eula": {
                "text": "MICROSOFT SOFTWARE LICENSE TERMS - MALICIOUS SOFTWARE REMOVAL TOOL (emulated text)",
                "accepted": True,
            },
            **_payload(update_id, f"{posted:%Y/%m}", "windows-kb890830-x64", 40, 80),
        }
    )
    return Draft(doc, posted, MSI_FAILURES, "UpdateOrchestrator", "msrt")


def _synthetic_kb(family: str, prod: Product, index: int) -> str:
    return str(5_100_000 + int(fraction(family, prod.csv_name, str(index)) * 89_999))


def critical_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """A servicing-stack style critical update (KB number synthesized)."""
    kb = _synthetic_kb("critical", prod, index)
    title = f"{posted:%Y-%m} Servicing Stack Update for {prod.title_name} (KB{kb})"
    update_id = derived_guid("critical", prod.csv_name, kb)
    doc = _base(update_id, title, "Critical Updates", prod.category_id, posted)
    doc.update(
        {
            "description": "This update makes quality improvements to the servicing stack, which is the component that installs Windows updates.",
            "kb_article_ids": [kb],
            "more_info_urls": [f"{SUPPORT}/{kb}"],
            "handler_id": CBS_HANDLER,
            "is_mandatory": True,
            "installation_behavior": {"impact": "iiMinor", "reboot_behavior": "irbNeverReboots"},
            **_payload(update_id, f"{posted:%Y/%m}", f"ssu-kb{kb}-x64", 10, 30),
        }
    )
    return Draft(doc, posted, CBS_FAILURES, "UpdateOrchestrator", "servicing-stack")


FEATURE_PACKS = (
    "Microsoft .NET Framework 4.8.1",
    "Microsoft .NET Framework 4.8.1 Language Pack (German)",
    "Microsoft .NET Framework 4.8.1 Language Pack (Japanese)",
    "Windows Admin Center Gateway",
)


def feature_pack_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """An optional feature pack (KB number synthesized); some carry a language."""
    kb = _synthetic_kb("feature", prod, index)
    name = FEATURE_PACKS[index % len(FEATURE_PACKS)]
    title = f"{name} for {prod.title_name} (KB{kb})"
    update_id = derived_guid("feature", prod.csv_name, kb)
    doc = _base(update_id, title, "Feature Packs", prod.category_id, posted)
    language = {"German": "de", "Japanese": "ja"}
    doc.update(
        {
            "description": f"{name} adds features to your computer. After you install this item, you may have to restart your computer.",
            "kb_article_ids": [kb],
            "more_info_urls": [f"{SUPPORT}/{kb}"],
            "release_notes": f"{SUPPORT}/{kb}#release-notes",
            "handler_id": MSI_HANDLER,
            "languages": [v for k, v in language.items() if k in name] or ["en"],
            "eula": {
                "text": f"MICROSOFT SOFTWARE SUPPLEMENTAL LICENSE TERMS - {name.upper()} (emulated text)",
                "accepted": False,
            },
            "installation_behavior": {
                "can_request_user_input": False,
                "reboot_behavior": "irbCanRequestReboot",
                "requires_network_connectivity": True,
            },
            "recommended_hard_disk_space": 600,
            "recommended_memory": 512,
            "recommended_cpu_speed": 1000,
            "image": {
                "source": "https://go.microsoft.com/fwlink/?LinkId=dotnet-logo",
                "alt_text": name,
                "height": 32,
                "width": 32,
            },
            "browse_only": True,
            "auto_select_on_web_sites": False,
            **_payload(update_id, f"{posted:%Y/%m}", f"ndp481-kb{kb}-x64", 60, 120),
        }
    )
    return Draft(doc, posted, MSI_FAILURES, "UpdateOrchestrator", f"feature|{name}")


def general_update_draft(prod: Product, index: int, posted: datetime, salt: str) -> Draft:
    """Non-security 'Updates', in turn: the monthly .NET Framework cumulative update, the
    Windows Security platform update, and an optional cumulative update preview (out in
    the fourth week of the month before, so the next monthly CU replaces it)."""
    kind = index % 3
    months = (posted.year - 2022) * 12 + posted.month - 1
    kb = _synthetic_kb("update", prod, index)
    failures: tuple[tuple[int, int], ...] = CBS_FAILURES
    if kind == 0:
        title = (
            f"{posted:%Y-%m} Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 "
            f"for {prod.title_name} (KB{kb})"
        )
        lineage = "dotnet-cumulative"
        sizes = (60, 95)
        extra: dict[str, Any] = {
            "handler_id": CBS_HANDLER,
            "installation_behavior": {"reboot_behavior": "irbCanRequestReboot"},
        }
    elif kind == 1:
        title = f"Update for Windows Security platform - KB5007651 (Version 1.0.{2400 + months * 3}.{months % 7})"
        kb = "5007651"
        lineage = "security-platform"
        sizes = (3, 12)
        extra = {"handler_id": COMMAND_LINE_HANDLER}
        failures = MSI_FAILURES
    else:  # kind 2
        posted -= timedelta(days=21)
        title = f"{posted:%Y-%m} Cumulative Update Preview for {prod.title_name} (KB{kb})"
        lineage = OS_CUMULATIVE
        sizes = (250, 900)
        extra = {
            "browse_only": True,
            "auto_select_on_web_sites": False,
            "handler_id": CBS_HANDLER,
            "installation_behavior": {"reboot_behavior": "irbAlwaysRequiresReboot"},
        }
    update_id = derived_guid("update", prod.csv_name, title)
    doc = _base(update_id, title, "Updates", prod.category_id, posted)
    doc.update(
        {
            "description": "Install this update to resolve issues in Windows. For a complete listing of the issues that are included in this update, see the associated Microsoft Knowledge Base article.",
            "kb_article_ids": [kb],
            "more_info_urls": [f"{SUPPORT}/{kb}"],
            **extra,
            **_payload(update_id, f"{posted:%Y/%m}", f"windows-kb{kb}-x64", *sizes),
        }
    )
    return Draft(doc, posted, failures, "UpdateOrchestrator", lineage)


MONTHLY = 0
SyntheticFamily = Callable[[Product, int, datetime, str], Draft]

# classification name -> (builder, days between releases; MONTHLY = second week of each month)
SYNTHETIC: dict[str, tuple[SyntheticFamily, int]] = {
    "Critical Updates": (critical_draft, 61),
    "Definition Updates": (definition_draft, 3),
    "Drivers": (driver_draft, 47),
    "Feature Packs": (feature_pack_draft, 120),
    "Update Rollups": (rollup_draft, MONTHLY),
    "Updates": (general_update_draft, MONTHLY),
}
