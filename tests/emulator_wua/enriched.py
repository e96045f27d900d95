"""The default catalog with every field the coverage samples leave empty filled in.

The shipped host leaves many optional fields at their defaults (no deadline, no
languages, no driver entries…), and an empty value cannot show a property bound to the
wrong field. The enriched copy goes back through `parse_catalog`, so it is a valid
catalog, not one built around the loader.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from wua.emulator.catalog import (
    Catalog,
    DownloadContent,
    ImageInformation,
    InstallationBehavior,
    default_catalog,
    dump_catalog,
    parse_catalog,
)
from wua.reference.enums import (
    AutoDownloadMode,
    AutoSelectionMode,
    InstallationImpact,
    InstallationRebootBehavior,
    UpdateType,
)

IMAGE = ImageInformation(
    source="https://img.example.invalid/kb.png", alt_text="KB", height=32, width=48
)


@cache
def enriched_catalog() -> Catalog:
    catalog = default_catalog()
    bundle = next(u for u in catalog.updates if u.bundled_updates)
    rich_bundle = replace(
        bundle,
        download_contents=(
            DownloadContent("https://dl.example.invalid/a.cab"),
            DownloadContent("https://dl.example.invalid/a.psf", is_delta_compressed_content=True),
        ),
        security_bulletin_ids=("ADV990001",),
        deadline=datetime(2026, 7, 14, 17, 0, tzinfo=UTC),
        languages=("en", "de", "ja"),
        release_notes="https://support.example.invalid/release-notes",
        image=IMAGE,
        recommended_cpu_speed=1400,
        recommended_hard_disk_space=4096,
        recommended_memory=2048,
        uninstallation_steps=("wusa /uninstall /kb:5039227",),
        uninstallation_behavior=InstallationBehavior(
            can_request_user_input=True,
            impact=InstallationImpact.iiRequiresExclusiveHandling,
            reboot_behavior=InstallationRebootBehavior.irbCanRequestReboot,
            requires_network_connectivity=True,
        ),
        is_beta=True,
        is_mandatory=True,
        browse_only=True,
        auto_selection=AutoSelectionMode.asAlwaysAutoSelect,
        auto_download=AutoDownloadMode.adAlwaysAutoDownload,
        can_require_source=True,
        is_hidden=True,
        is_present=True,
        reboot_required=True,
        max_download_size=Decimal("987654321098"),
    )
    driver = next(u for u in catalog.updates if u.type is UpdateType.utDriver)
    assert driver.driver is not None
    rich_driver = replace(
        driver,
        driver_entries=(
            replace(driver.driver, driver_hardware_id="PCI\\VEN_8086&DEV_1572", device_status=10),
            replace(
                driver.driver, driver_hardware_id="PCI\\VEN_8086&DEV_1583", device_problem_number=28
            ),
        ),
        kb_article_ids=("5000001",),
        more_info_urls=("https://support.example.invalid/driver",),
        support_url="https://support.example.invalid/",
        uninstallation_notes="Roll back in Device Manager.",
        is_uninstallable=True,
        reboot_required=True,
        is_present=True,
        is_hidden=True,
    )
    updates = tuple(
        rich_bundle if u is bundle else rich_driver if u is driver else u for u in catalog.updates
    )
    newest = max(catalog.history, key=lambda e: e.date)
    rich_entry = replace(
        newest,
        uninstallation_steps=("wusa /uninstall",),
        uninstallation_notes="Can be removed.",
        support_url="https://support.example.invalid/history",
    )
    history = tuple(rich_entry if e is newest else e for e in catalog.history)
    categories = tuple(
        replace(c, description="The server operating system.", image=IMAGE)
        if c.parent and c.type == "Product"
        else c
        for c in catalog.categories
    )
    services = tuple(
        replace(
            s, expiration_date=datetime(2030, 1, 1, tzinfo=UTC), content_validation_cert=b"\x30\x82"
        )
        if s.is_default_au_service
        else s
        for s in catalog.services
    )
    enriched = replace(
        catalog, updates=updates, history=history, categories=categories, services=services
    )
    return parse_catalog(dump_catalog(enriched), source="enriched default catalog")
