"""The emulated host's catalog: model, file format (`wua-catalog/1`), loader, default, fleet.

See `docs/catalog-format.md` for the file format field by field.
"""

from __future__ import annotations

from wua.emulator.catalog.default import default_catalog
from wua.emulator.catalog.fleet import generate_hosts
from wua.emulator.catalog.loader import dump_catalog, load_catalog, parse_catalog
from wua.emulator.catalog.model import (
    FORMAT,
    Account,
    AgentInfo,
    AutomaticUpdates,
    Catalog,
    Category,
    CategoryType,
    HistoryEntry,
    Host,
    UpdateService,
)
from wua.emulator.catalog.schema import catalog_json_schema
from wua.emulator.catalog.update import (
    DownloadContent,
    DriverInfo,
    Eula,
    ImageInformation,
    InstallationBehavior,
    Update,
    UpdateIdentity,
)

__all__ = [
    "FORMAT",
    "Account",
    "AgentInfo",
    "AutomaticUpdates",
    "Catalog",
    "Category",
    "CategoryType",
    "DownloadContent",
    "DriverInfo",
    "Eula",
    "HistoryEntry",
    "Host",
    "ImageInformation",
    "InstallationBehavior",
    "Update",
    "UpdateIdentity",
    "UpdateService",
    "catalog_json_schema",
    "default_catalog",
    "dump_catalog",
    "generate_hosts",
    "load_catalog",
    "parse_catalog",
]
