"""What parsing makes of a valid document: types, normalisation, derived fields."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tests.catalog.documents import COMPANY, PRODUCT, SECURITY, UPDATE_A, UPDATE_B, minimal_document
from wua.emulator.catalog import CategoryType, parse_catalog
from wua.reference.enums import OperationResultCode, UpdateType


def test_category_ids_hold_the_categories_and_their_ancestors() -> None:
    catalog = parse_catalog(minimal_document())
    first = catalog.update(UPDATE_A)
    assert first.categories == (PRODUCT, SECURITY)
    assert first.category_ids == (PRODUCT, COMPANY, SECURITY)


def test_values_get_python_types() -> None:
    catalog = parse_catalog(minimal_document())
    driver = catalog.update(UPDATE_B)
    assert driver.type is UpdateType.utDriver
    assert driver.max_download_size == Decimal(1048576)
    assert driver.driver is not None
    assert driver.driver.driver_ver_date == datetime(2024, 4, 1, tzinfo=UTC)
    entry = catalog.history[0]
    assert entry.result_code is OperationResultCode.orcFailed
    assert entry.hresult == 0x800F0922 == entry.unmapped_result_code
    assert catalog.categories[0].type is CategoryType.COMPANY


def test_guids_are_lower_cased_and_looked_up_in_any_case() -> None:
    doc = minimal_document()
    doc["updates"][0]["identity"]["update_id"] = UPDATE_A.upper()
    doc["history"][0]["update_identity"]["update_id"] = UPDATE_A.upper()
    catalog = parse_catalog(doc)
    assert catalog.updates[0].update_id == UPDATE_A
    assert catalog.update(UPDATE_A.upper()).revision_number == 200
    assert catalog.history[0].update_identity.update_id == UPDATE_A


def test_date_times_are_converted_to_utc() -> None:
    doc = minimal_document()
    doc["updates"][0]["last_deployment_change_time"] = "2024-05-14T19:00:00+02:00"
    doc["updates"][0]["deadline"] = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)  # as YAML resolves it
    update = parse_catalog(doc).updates[0]
    assert update.last_deployment_change_time == datetime(2024, 5, 14, 17, 0, tzinfo=UTC)
    assert update.last_deployment_change_time.tzinfo is UTC
    assert update.deadline == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def test_bundle_members_are_not_searchable() -> None:
    catalog = parse_catalog(minimal_document())
    assert [u.update_id for u in catalog.searchable_updates] == [UPDATE_A]
    assert catalog.updates[0].bundled_updates == (UPDATE_B,)


def test_default_service_and_account_kinds() -> None:
    catalog = parse_catalog(minimal_document())
    assert catalog.default_service.name == "Windows Update"
    admin, auditor = catalog.accounts
    assert admin.builtin_admin and admin.is_admin and admin.password == "Passw0rd!"
    assert not auditor.is_admin and auditor.nt_hash == "fc525c9683e8fe067095ba2ddc971889"
