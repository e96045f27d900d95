"""The built-in emulated host: a Windows Server 2022 Datacenter named WUA-DEMO-01.

`build_default_document()` makes it from the packaged KB data; the result is shipped as
`wua/emulator/data/default-host.yaml` so that people can read and copy it, and a test
checks that the builder still produces that file byte for byte. Regenerate it with
`python -m wua.emulator.catalog.write_default`.

Demo accounts (documented for the README):
  Administrator / Passw0rd!   built-in Administrator (RID 500): allowed remotely
  wuadmin       / Adm1n!2026  local administrator, not built-in: refused remotely while
                              UAC remote restrictions apply (LocalAccountTokenFilterPolicy=0)
  auditor       / Read0nly!   not an administrator: always refused (E_ACCESSDENIED)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from wua.emulator.catalog.builder import build_host_document
from wua.emulator.catalog.loader import dump_catalog, parse_catalog, read_document, render_yaml
from wua.emulator.catalog.model import Catalog
from wua.emulator.catalog.products import product
from wua.emulator.catalog.profile import Counts, HostProfile

DEFAULT_FILE = "default-host.yaml"

DEMO_ACCOUNTS: tuple[Mapping[str, Any], ...] = tuple(
    MappingProxyType(account)
    for account in (
        {
            "name": "Administrator",
            "password": "Passw0rd!",
            "is_admin": True,
            "builtin_admin": True,
            "description": "Built-in Administrator (RID 500): exempt from UAC remote restrictions.",
        },
        {
            "name": "wuadmin",
            "password": "Adm1n!2026",
            "is_admin": True,
            "description": "Local administrator, not built-in: refused remotely while UAC remote "
            "restrictions apply (LocalAccountTokenFilterPolicy=0).",
        },
        {
            "name": "auditor",
            "password": "Read0nly!",
            "is_admin": False,
            "description": "Not an administrator: every remote WUA call is refused (E_ACCESSDENIED).",
        },
    )
)

DEFAULT_COUNTS: tuple[tuple[str, Counts], ...] = (
    ("Security Updates", Counts(pending=22, installed=70)),
    ("Critical Updates", Counts(pending=3, installed=6)),
    ("Definition Updates", Counts(pending=2, installed=5)),
    ("Drivers", Counts(pending=4, installed=4)),
    ("Feature Packs", Counts(pending=2, installed=2)),
    ("Update Rollups", Counts(pending=2, installed=6)),
    ("Updates", Counts(pending=5, installed=7)),
)

PROVENANCE = (
    "Emulated Windows Server 2022 Datacenter (build 20348) for tests and demos. "
    "Real (from wesng's MSRC data, BSD-3, see wua/emulator/data/SOURCES.md): the security "
    "updates' KB numbers, release dates, MSRC severities, CVE IDs (up to five examples each; "
    "the CVE count is in the description), advisory IDs (in security_bulletin_ids) and "
    "the first superseded_update_ids entry where the KB data has one; the classification GUIDs "
    "and service IDs. Synthesized: the rest of the supersedence (the KB data's chains are "
    "partial and sometimes two interleave, so within each lineage - the OS's monthly "
    "cumulative updates with their previews, Defender definitions, the MSRT, the Windows "
    "Security platform, servicing stack and .NET updates - each update also supersedes the "
    "newest older one by release date; previews only supersede previews), every UpdateID "
    "(uuid5 of 'KB|product' for real KBs, of family and version otherwise, in a project "
    "namespace) and revision number; titles and descriptions (in Windows' patterns); the "
    "non-security updates (their KB numbers are made up except KB2267602, KB890830 and "
    "KB5007651); sizes, URLs, dates of installation, history and its failures (real "
    "HRESULTs), drivers, services' URLs and dates, category IDs other than classifications."
)


def default_profile() -> HostProfile:
    return HostProfile(
        name="WUA-DEMO-01",
        product=product("Windows Server 2022"),
        edition="Datacenter",
        snapshot=datetime(2026, 6, 20, 12, 0, tzinfo=UTC),
        counts=DEFAULT_COUNTS,
        accounts=DEMO_ACCOUNTS,
        service_mode="microsoft-update",
        failure_rate=0.15,
        salt="default",
        description=PROVENANCE,
    )


def build_default_document() -> dict[str, Any]:
    return build_host_document(default_profile())


def build_default_text() -> str:
    """The exact text of the shipped default file: the built document, validated and
    written back in canonical form (fields equal to their defaults left out)."""
    catalog = parse_catalog(build_default_document(), source="build_default_document()")
    return render_yaml(dump_catalog(catalog))


@cache
def _default() -> Catalog:
    source = f"wua.emulator/data/{DEFAULT_FILE}"
    text = resources.files("wua.emulator").joinpath("data", DEFAULT_FILE).read_text("utf-8")
    return parse_catalog(read_document(text, source=source), source=source)


def default_catalog() -> Catalog:
    """The shipped default host, parsed and validated (once per process; it is immutable)."""
    return _default()
