"""The synthesized update history of a generated host (IUpdateHistoryEntry2 entries).

Every installed update has a successful installation a few days after its release, some
had a failed try first, some pending updates failed once, and one cumulative update was
uninstalled and installed again; failures use the HRESULTs Windows reports for that kind
of update (see `families.py`). Entries are sorted newest first, as QueryHistory returns.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from wua.emulator.catalog.families import Draft, text_time
from wua.emulator.catalog.ids import fraction
from wua.emulator.catalog.profile import HostProfile


def build_history(
    profile: HostProfile, pending: list[Draft], installed: list[Draft], service_id: str
) -> list[dict[str, Any]]:
    """Past attempts: a success per installed update, some failed tries before it, failed
    tries of some pending updates, and one uninstallation (then reinstallation)."""
    selection = {"wsus": "ssManagedServer", "windows-update": "ssWindowsUpdate"}.get(
        profile.service_mode, "ssOthers"
    )
    entries: list[dict[str, Any]] = []

    def entry(
        draft: Draft,
        when: datetime,
        result: str,
        code: tuple[int, int] = (0, 0),
        uninstall: bool = False,
    ) -> None:
        doc = draft.document
        row: dict[str, Any] = {
            "operation": "uoUninstallation" if uninstall else "uoInstallation",
            "result_code": result,
            "date": text_time(when),
            "update_identity": dict(doc["identity"]),
            "title": doc["title"],
        }
        if code != (0, 0):
            row["hresult"] = f"0x{code[0]:08X}"
            row["unmapped_result_code"] = f"0x{code[1]:08X}"
        row.update(
            {
                "description": doc.get("description", ""),
                "client_application_id": draft.client_application_id,
                "server_selection": selection,
                "service_id": service_id,
                "support_url": doc.get("support_url", ""),
                "categories": list(doc["categories"]),
            }
        )
        if uninstall:
            row["uninstallation_notes"] = doc.get("uninstallation_notes", "")
        entries.append(row)

    for draft in installed:
        salt = f"{profile.salt}|{draft.update_id}"
        days = timedelta(days=1 + int(fraction(salt, "delay") * 8))
        done = (draft.posted + days).replace(hour=3, minute=int(fraction(salt, "minute") * 59))
        done = min(done, profile.snapshot - timedelta(hours=3))
        if fraction(salt, "fail") < profile.failure_rate:
            code = draft.failures[int(fraction(salt, "code") * len(draft.failures))]
            entry(draft, done - timedelta(days=1), "orcFailed", code)
        entry(draft, done, "orcSucceeded")
    for draft in pending:
        salt = f"{profile.salt}|{draft.update_id}"
        if fraction(salt, "fail") < 2 * profile.failure_rate:
            code = draft.failures[int(fraction(salt, "code") * len(draft.failures))]
            when = min(
                draft.posted + timedelta(days=2, hours=10), profile.snapshot - timedelta(hours=5)
            )
            entry(draft, when, "orcFailed", code)
    if profile.uninstall_once:
        cumulative = [d for d in installed if d.document.get("is_uninstallable")]
        if len(cumulative) > 2:
            target = cumulative[len(cumulative) // 2]
            first = next(
                e
                for e in entries
                if e["update_identity"] == target.document["identity"]
                and e["result_code"] == "orcSucceeded"
            )
            removed = datetime.fromisoformat(first["date"]) + timedelta(days=1)
            entry(target, removed, "orcSucceeded", uninstall=True)
            entry(target, removed + timedelta(days=1), "orcSucceeded")
    entries.sort(key=lambda e: (e["date"], e["title"], e["operation"]), reverse=True)
    return entries
