"""A small valid catalog document that tests copy and break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

COMPANY = "11111111-0000-0000-0000-000000000001"
PRODUCT = "11111111-0000-0000-0000-000000000002"
SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441"
DRIVERS = "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0"
UPDATE_A = "aaaaaaaa-0000-0000-0000-000000000001"
UPDATE_B = "bbbbbbbb-0000-0000-0000-000000000002"

_MINIMAL: dict[str, Any] = {
    "format": "wua-catalog/1",
    "host": {
        "name": "TEST-01",
        "os_caption": "Microsoft Windows Server 2022 Standard",
        "os_version": "10.0.20348",
        "os_build": 20348,
    },
    "agent": {
        "api_major_version": 8,
        "api_minor_version": 0,
        "product_version_string": "10.0.20348.1",
    },
    "accounts": [
        {"name": "Administrator", "password": "Passw0rd!", "is_admin": True, "builtin_admin": True},
        {"name": "auditor", "nt_hash": "fc525c9683e8fe067095ba2ddc971889", "is_admin": False},
    ],
    "services": [
        {
            "service_id": "9482f4b4-e343-43b6-b170-9a65bc822c77",
            "name": "Windows Update",
            "issue_date": "2019-11-12T00:00:00Z",
            "is_default_au_service": True,
        },
        {
            "service_id": "7971f918-a847-4430-9279-4a52d1efe18d",
            "name": "Microsoft Update",
            "issue_date": "2019-11-12T00:00:00Z",
        },
    ],
    "categories": [
        {"category_id": COMPANY, "name": "Microsoft Corporation", "type": "Company"},
        {
            "category_id": PRODUCT,
            "name": "Windows Server 2022",
            "type": "Product",
            "parent": COMPANY,
        },
        {"category_id": SECURITY, "name": "Security Updates", "type": "UpdateClassification"},
        {"category_id": DRIVERS, "name": "Drivers", "type": "UpdateClassification"},
    ],
    "updates": [
        {
            "identity": {"update_id": UPDATE_A, "revision_number": 200},
            "title": "2024-05 Cumulative Update (KB5037782)",
            "type": "utSoftware",
            "categories": [PRODUCT, SECURITY],
            "last_deployment_change_time": "2024-05-14T17:00:00Z",
            "max_download_size": 524288000,
            "min_download_size": 0,
            "kb_article_ids": ["5037782"],
            "msrc_severity": "Important",
            "bundled_updates": [UPDATE_B],
        },
        {
            "identity": {"update_id": UPDATE_B, "revision_number": 1},
            "title": "Intel - System - 1.2.3.4",
            "type": "utDriver",
            "categories": [PRODUCT, DRIVERS],
            "last_deployment_change_time": "2024-05-01T00:00:00Z",
            "max_download_size": "1048576",
            "min_download_size": "0",
            "is_installed": True,
            "driver": {
                "driver_class": "System",
                "driver_hardware_id": "PCI\\VEN_8086&DEV_A13A",
                "driver_manufacturer": "Intel",
                "driver_model": "Intel(R) Management Engine Interface",
                "driver_provider": "Intel",
                "driver_ver_date": "2024-04-01T00:00:00Z",
            },
        },
    ],
    "history": [
        {
            "operation": "uoInstallation",
            "result_code": "orcFailed",
            "hresult": "0x800F0922",
            "unmapped_result_code": 2148469026,
            "date": "2024-05-15T03:00:00Z",
            "update_identity": {"update_id": UPDATE_A, "revision_number": 200},
            "title": "2024-05 Cumulative Update (KB5037782)",
            "categories": [SECURITY],
        }
    ],
}


def minimal_document() -> dict[str, Any]:
    """A fresh deep copy: tests may change it freely."""
    return copy.deepcopy(_MINIMAL)
