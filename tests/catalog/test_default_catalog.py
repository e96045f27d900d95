"""The built-in default host: reproducible, valid, realistic counts, criteria-ready."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from wua.criteria import matches, parse
from wua.emulator.catalog import Catalog, Update, load_catalog, write_default
from wua.emulator.catalog.default import DEFAULT_FILE, build_default_text, default_catalog
from wua.emulator.catalog.ids import update_id_for_kb
from wua.emulator.catalog.kbdata import records_for
from wua.reference import classification
from wua.reference.enums import DeploymentAction, OperationResultCode, UpdateType

SECURITY = classification("Security Updates").id


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def _classification_of(catalog: Catalog, update: Update) -> str:
    names = [
        c.name
        for c in catalog.categories
        if c.category_id in update.categories and c.type == "UpdateClassification"
    ]
    assert len(names) == 1, update.title
    return names[0]


def test_builder_regenerates_the_shipped_file_byte_for_byte() -> None:
    shipped = resources.files("wua.emulator").joinpath("data", DEFAULT_FILE).read_bytes()
    assert build_default_text().encode("utf-8") == shipped


def test_the_shipped_file_loads_from_its_path() -> None:
    path = resources.files("wua.emulator").joinpath("data", DEFAULT_FILE)
    assert load_catalog(str(path)) == default_catalog()


def test_host_is_a_windows_server_2022(catalog: Catalog) -> None:
    assert catalog.host.os_build == 20348
    assert catalog.host.os_version == "10.0.20348"
    assert "Windows Server 2022" in catalog.host.os_caption
    assert catalog.agent.api_major_version == 8


def test_about_40_pending_and_100_installed(catalog: Catalog) -> None:
    states = Counter(u.is_installed for u in catalog.searchable_updates)
    assert states[False] == 40
    assert states[True] == 100


def test_counts_per_classification(catalog: Catalog) -> None:
    counts = Counter(
        (_classification_of(catalog, u), u.is_installed) for u in catalog.searchable_updates
    )
    assert counts == {
        ("Security Updates", False): 22,
        ("Security Updates", True): 70,
        ("Critical Updates", False): 3,
        ("Critical Updates", True): 6,
        ("Definition Updates", False): 2,
        ("Definition Updates", True): 5,
        ("Drivers", False): 4,
        ("Drivers", True): 4,
        ("Feature Packs", False): 2,
        ("Feature Packs", True): 2,
        ("Update Rollups", False): 2,
        ("Update Rollups", True): 6,
        ("Updates", False): 5,
        ("Updates", True): 7,
    }


def test_security_updates_carry_the_real_kb_data(catalog: Catalog) -> None:
    rows = {r.kb_number: r for r in records_for("Windows Server 2022")}
    security = [u for u in catalog.searchable_updates if SECURITY in u.categories]
    assert len(security) == 92
    for update in security:
        (kb,) = update.kb_article_ids
        row = rows[kb]
        assert update.msrc_severity == row.max_msrc_severity
        assert set(update.cve_ids) | set(update.security_bulletin_ids) == set(row.example_cves)
        assert f"{row.cve_count} CVEs" in update.description
        assert update.last_deployment_change_time.date() == row.first_posted
        real = tuple(update_id_for_kb(kb, "Windows Server 2022") for kb in row.supersedes_kbs)
        assert update.superseded_update_ids[: len(real)] == real  # the KB data's links first
    pending = [u for u in security if not u.is_installed]
    installed = [u for u in security if u.is_installed]
    assert min(u.last_deployment_change_time for u in pending) >= max(
        u.last_deployment_change_time for u in installed
    )


def test_history_has_successes_and_real_failure_codes(catalog: Catalog) -> None:
    results = Counter(e.result_code for e in catalog.history)
    assert results[OperationResultCode.orcSucceeded] >= 100
    failures = {
        e.hresult for e in catalog.history if e.result_code is OperationResultCode.orcFailed
    }
    assert failures == {0x80070643, 0x800F0922, 0x8024200B, 0x80240022, 0x80073712}
    dates = [e.date for e in catalog.history]
    assert dates == sorted(dates, reverse=True)  # QueryHistory order: newest first


def test_three_documented_accounts(catalog: Catalog) -> None:
    accounts = {a.name: a for a in catalog.accounts}
    assert accounts["Administrator"].password == "Passw0rd!"
    assert accounts["Administrator"].builtin_admin
    assert accounts["wuadmin"].password == "Adm1n!2026"
    assert accounts["wuadmin"].is_admin and not accounts["wuadmin"].builtin_admin
    assert accounts["auditor"].password == "Read0nly!"
    assert not accounts["auditor"].is_admin


def test_the_newest_security_update_is_a_bundle_of_one(catalog: Catalog) -> None:
    bundles = [u for u in catalog.updates if u.bundled_updates]
    assert len(bundles) == 1
    (bundle,) = bundles
    newest = max(
        (u for u in catalog.searchable_updates if SECURITY in u.categories),
        key=lambda u: u.last_deployment_change_time,
    )
    assert bundle.last_deployment_change_time == newest.last_deployment_change_time
    (member_id,) = bundle.bundled_updates
    member = catalog.update(member_id)
    assert member not in catalog.searchable_updates
    assert (
        member.title == bundle.title and member.download_contents and not bundle.download_contents
    )
    assert len(catalog.updates) == 141


def test_one_default_service(catalog: Catalog) -> None:
    assert [s.name for s in catalog.services if s.is_default_au_service] == ["Microsoft Update"]


def test_state_flags_are_exercised(catalog: Catalog) -> None:
    updates = catalog.updates
    assert sum(u.is_hidden for u in updates) == 1
    assert sum(u.reboot_required for u in updates) == 1
    assert any(u.is_downloaded and not u.is_installed for u in updates)
    assert any(u.type is UpdateType.utDriver for u in updates)
    assert any(u.browse_only for u in updates)
    assert all(u.eula.accepted for u in updates if u.is_installed)
    assert any(not u.eula.accepted for u in updates)


# The search-criteria subject protocol: attribute name -> the type its value must have.
SUBJECT_PROTOCOL: dict[str, type | tuple[type, ...]] = {
    "type": UpdateType,
    "deployment_action": DeploymentAction,
    "is_assigned": bool,
    "browse_only": bool,
    "auto_select_on_web_sites": bool,
    "is_installed": bool,
    "is_hidden": bool,
    "is_present": bool,
    "reboot_required": bool,
    "update_id": str,
    "revision_number": int,
    "category_ids": tuple,
}


def test_every_update_satisfies_the_criteria_subject_protocol(catalog: Catalog) -> None:
    tree = {c.category_id: c.parent for c in catalog.categories}
    for update in catalog.updates:
        for name, kind in SUBJECT_PROTOCOL.items():
            assert isinstance(getattr(update, name), kind), (update.title, name)
        ancestors = set()
        for category_id in update.categories:
            current: str | None = category_id
            while current is not None:
                ancestors.add(current)
                current = tree[current]
        assert set(update.category_ids) == ancestors
        assert len(update.category_ids) == len(ancestors)


CRITERIA: list[tuple[str, Any]] = [
    ("IsInstalled=0", lambda u: not u.is_installed),
    ("IsInstalled=1", lambda u: u.is_installed),
    ("Type='Driver'", lambda u: u.type is UpdateType.utDriver),
    (
        "CategoryIDs contains '0fa1201d-4330-4fa8-8ae9-b877473b6441'",
        lambda u: SECURITY in u.category_ids,
    ),
    ("IsInstalled=0 and IsHidden=0", lambda u: not u.is_installed and not u.is_hidden),
]


@pytest.mark.parametrize(("text", "expected"), CRITERIA, ids=[c[0] for c in CRITERIA])
def test_criteria_select_what_the_fields_say(catalog: Catalog, text: str, expected: Any) -> None:
    parsed = parse(text)
    selected = {u.update_id for u in catalog.updates if matches(parsed, u)}
    wanted = {u.update_id for u in catalog.updates if expected(u)}
    assert selected == wanted
    assert wanted  # each criterion selects something in the default host


def test_write_default_writes_the_built_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "host.yaml"
    assert write_default.main([str(target)]) == 0
    assert target.read_text("utf-8") == build_default_text()
    assert str(target) in capsys.readouterr().out
