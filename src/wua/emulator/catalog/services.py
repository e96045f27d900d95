"""The update services a generated host has registered (IUpdateServiceManager.Services).

Three set-ups cover what fleets show: Windows Update only, opted in to Microsoft Update
(the usual server set-up), or managed by WSUS. Service IDs are the real ones from the
reference; issue dates, URLs and setup prefixes are plausible, not captured.
"""

from __future__ import annotations

from typing import Any

from wua.reference.coclasses import (
    MANAGED_SERVICE,
    MICROSOFT_UPDATE_SERVICE,
    WINDOWS_UPDATE_SERVICE,
)

STORE_SERVICE = "855e8a7c-ecb4-4ca3-b045-1dfa50104289"
SERVICE_MODES = ("windows-update", "microsoft-update", "wsus")


def service_documents(mode: str, wsus_url: str = "") -> list[dict[str, Any]]:
    """The services of a host in `mode` (one of SERVICE_MODES); exactly one is AU's default."""
    if mode not in SERVICE_MODES:
        raise ValueError(f"unknown service mode {mode!r}; one of {', '.join(SERVICE_MODES)}")
    windows_update: dict[str, Any] = {
        "service_id": WINDOWS_UPDATE_SERVICE,
        "name": "Windows Update",
        "issue_date": "2019-11-12T00:00:00Z",
        "is_registered_with_au": mode == "windows-update",
        "is_default_au_service": mode == "windows-update",
        "redirect_urls": ["http://windowsupdate.microsoft.com/v6/windowsupdate/redir/wuredir.cab"],
        "service_url": "https://fe2cr.update.microsoft.com/v6/",
        "setup_prefix": "wu",
    }
    microsoft_update: dict[str, Any] = {
        "service_id": MICROSOFT_UPDATE_SERVICE,
        "name": "Microsoft Update",
        "issue_date": "2019-11-12T00:00:00Z",
        "is_registered_with_au": mode == "microsoft-update",
        "is_default_au_service": mode == "microsoft-update",
        "content_validation_cert": "",
        "redirect_urls": ["http://www.update.microsoft.com/v6/microsoftupdate/redir/muauth.cab"],
        "service_url": "https://fe2cr.update.microsoft.com/v6/",
        "setup_prefix": "mu",
    }
    store: dict[str, Any] = {
        "service_id": STORE_SERVICE,
        "name": "DCat Prod",
        "issue_date": "2021-06-08T00:00:00Z",
        "is_registered_with_au": True,
        "offers_windows_updates": False,
        "can_register_with_au": False,
        "service_url": "https://fe3cr.delivery.mp.microsoft.com/",
    }
    services = [windows_update, store]
    if mode == "microsoft-update":
        services.insert(1, microsoft_update)
    if mode == "wsus":
        services.insert(
            0,
            {
                "service_id": MANAGED_SERVICE,
                "name": "Windows Server Update Service",
                "issue_date": "2022-03-01T00:00:00Z",
                "is_managed": True,
                "is_registered_with_au": True,
                "is_default_au_service": True,
                "service_url": wsus_url,
                "setup_prefix": "wsus",
            },
        )
    return services
