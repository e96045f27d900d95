"""Builds the catalog document of one emulated host from a `HostProfile`.

The builder is a pure function of the profile and the packaged KB data (no clock, no
global random state): the default host and every fleet host are reproducible byte for
byte. It returns a plain document, which `parse_catalog` then validates like any file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from wua.emulator.catalog.families import (
    CBS_HANDLER,
    DEFENDER_PRODUCT,
    MONTHLY,
    SYNTHETIC,
    Draft,
    security_draft,
    text_time,
    with_bundle_member,
)
from wua.emulator.catalog.history_builder import build_history
from wua.emulator.catalog.ids import derived_guid, fraction
from wua.emulator.catalog.kbdata import records_for
from wua.emulator.catalog.model import FORMAT
from wua.emulator.catalog.profile import HostProfile
from wua.emulator.catalog.services import service_documents
from wua.emulator.catalog.supersedence import with_supersedence
from wua.reference import classification

CLASSIFICATION_ORDER = (
    "Security Updates",
    "Critical Updates",
    "Definition Updates",
    "Drivers",
    "Feature Packs",
    "Update Rollups",
    "Updates",
)
MICROSOFT = derived_guid("category", "company", "Microsoft Corporation")
WINDOWS = derived_guid("category", "family", "Windows")


def build_host_document(profile: HostProfile) -> dict[str, Any]:
    """The catalog document of the host the profile describes."""
    chosen, installed_count = _choose_updates(profile)
    linked = with_supersedence(chosen)
    installed, pending = linked[:installed_count], linked[installed_count:]
    members: list[Draft] = []
    security = [
        d for d in pending if classification("Security Updates").id in d.document["categories"]
    ]
    if profile.bundle_newest and security:
        newest = max(security, key=lambda d: (d.posted, d.update_id))
        bundle, member = with_bundle_member(newest)
        pending[pending.index(newest)] = bundle
        members.append(member)
    drivers = [d.update_id for d in pending if d.document["type"] == "utDriver"]
    hidden = drivers[0] if profile.hide_one and drivers else None
    rebooting = [d for d in installed if d.document.get("handler_id") == CBS_HANDLER]
    reboot = (
        max(rebooting, key=lambda d: d.posted).update_id
        if profile.reboot_pending and rebooting
        else None
    )
    updates = [
        _with_state(d, profile, installed=False, flagged=d.update_id == hidden) for d in pending
    ]
    updates += [
        _with_state(d, profile, installed=True, flagged=d.update_id == reboot) for d in installed
    ]
    updates += [_with_state(d, profile, installed=False, flagged=False) for d in members]
    services = service_documents(profile.service_mode, profile.wsus_url)
    default = next(s for s in services if s.get("is_default_au_service"))
    history = build_history(profile, pending, installed, default["service_id"])
    last_install = max(
        (e["date"] for e in history if e["result_code"] == "orcSucceeded"), default=None
    )
    detected = text_time(profile.snapshot - timedelta(hours=2))
    prod = profile.product
    host: dict[str, Any] = {
        "name": profile.name,
        "os_caption": prod.caption(profile.edition),
        "os_version": prod.os_version,
        "os_build": prod.os_build,
        "architecture": "x64",
    }
    if profile.domain:
        host["domain"] = profile.domain
    automatic_updates: dict[str, Any] = {
        "enabled": True,
        "last_detection_time": detected,
        "last_search_success_date": detected,
    }
    if last_install is not None:
        automatic_updates["last_installation_success_date"] = last_install
    return {
        "format": FORMAT,
        "description": profile.description,
        "host": host,
        "agent": {
            "api_major_version": 8,
            "api_minor_version": 0,
            "product_version_string": prod.agent_version,
        },
        "accounts": [dict(a) for a in profile.accounts],
        "services": services,
        "automatic_updates": automatic_updates,
        "categories": _categories(profile),
        "updates": updates,
        "history": history,
    }


def _choose_updates(profile: HostProfile) -> tuple[list[Draft], int]:
    """Per classification, the newest `pending` drafts are pending and the `installed`
    before them are installed; security updates are the product's real KBs. Returns the
    installed drafts then the pending ones, and how many are installed."""
    pending: list[Draft] = []
    installed: list[Draft] = []
    for name, counts in profile.counts:
        wanted = counts.pending + counts.installed
        if name == "Security Updates":
            rows = [
                r
                for r in records_for(profile.product.csv_name)
                if _posted_before(r.first_posted, profile)
            ]
            drafts = [security_draft(r, profile.product) for r in rows[-wanted:]] if wanted else []
        else:
            family, cadence = SYNTHETIC[name]
            drafts = []
            for i in reversed(range(wanted)):
                posted = _release_date(profile.snapshot, cadence, i)
                drafts.append(family(profile.product, i, posted, profile.salt))
        split = len(drafts) - counts.pending
        installed += drafts[:split]
        pending += drafts[split:]
    return installed + pending, len(installed)


def _release_date(snapshot: datetime, cadence: int, age: int) -> datetime:
    """When the `age`-th newest release of a family came out (0 = the newest)."""
    if cadence == MONTHLY:
        months = snapshot.year * 12 + snapshot.month - 1 - (age + (snapshot.day <= 14))
        return datetime(months // 12, months % 12 + 1, 14, 17, 0, tzinfo=UTC)
    posted = snapshot - timedelta(days=cadence * (age + 0.5) + 1)
    return posted.replace(minute=0, second=0, microsecond=0)


def _posted_before(day: date, profile: HostProfile) -> bool:
    return day < profile.snapshot.date()


def _with_state(
    draft: Draft, profile: HostProfile, *, installed: bool, flagged: bool
) -> dict[str, Any]:
    """The document with its state on this host; `flagged` marks the one installed update
    that waits for a restart, or the one pending update the administrator hid."""
    doc = dict(draft.document)
    if installed:
        doc.update({"is_installed": True, "is_present": True, "is_downloaded": True})
        if "eula" in doc:  # installing meant accepting the licence
            doc["eula"] = {**doc["eula"], "accepted": True}
        if flagged:
            doc["reboot_required"] = True
    else:
        if fraction(profile.salt, draft.update_id, "downloaded") < 0.3:
            doc["is_downloaded"] = True
        if flagged:
            doc["is_hidden"] = True
    return doc


def _categories(profile: HostProfile) -> list[dict[str, Any]]:
    prod = profile.product
    out: list[dict[str, Any]] = [
        {
            "category_id": MICROSOFT,
            "name": "Microsoft Corporation",
            "type": "Company",
            "description": "Products published by Microsoft.",
            "image": {
                "source": "https://www.microsoft.com/favicon.ico",
                "alt_text": "Microsoft",
                "height": 16,
                "width": 16,
            },
        },
        {
            "category_id": WINDOWS,
            "name": "Windows",
            "type": "ProductFamily",
            "parent": MICROSOFT,
            "order": 1,
        },
        {
            "category_id": prod.category_id,
            "name": prod.category_name,
            "type": "Product",
            "parent": WINDOWS,
            "order": 1,
        },
        {
            "category_id": derived_guid("category", "product", DEFENDER_PRODUCT),
            "name": DEFENDER_PRODUCT,
            "type": "Product",
            "parent": WINDOWS,
            "order": 2,
        },
    ]
    for order, name in enumerate(CLASSIFICATION_ORDER):
        out.append(
            {
                "category_id": classification(name).id,
                "name": name,
                "type": "UpdateClassification",
                "description": f"Updates classified as {name} by Microsoft.",
                "order": order,
            }
        )
    return out
