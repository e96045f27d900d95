"""(document value, model value) tables driving both directions of each converter."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import pytest

from wua.emulator.catalog.codec import converter_for, document_keys
from wua.emulator.catalog.converters import LoadContext
from wua.emulator.catalog.markers import ULONG, Guid, HexNumber
from wua.emulator.catalog.model import Catalog, CategoryType
from wua.reference.enums import DeploymentAction, UpdateType

VECTORS: list[tuple[Any, Any, Any]] = [
    (str, "Windows Update", "Windows Update"),
    (bool, True, True),
    (int, -2147483648, -2147483648),
    (Decimal, 524288000, Decimal(524288000)),
    (Decimal, "12.5", Decimal("12.5")),
    (datetime, "2024-05-14T17:00:00Z", datetime(2024, 5, 14, 17, 0, tzinfo=UTC)),
    (datetime, "2024-05-14T17:00:00.250000Z", datetime(2024, 5, 14, 17, 0, 0, 250000, tzinfo=UTC)),
    (bytes, "00ff10", b"\x00\xff\x10"),
    (bytes, "", b""),
    (UpdateType, "utDriver", UpdateType.utDriver),
    (DeploymentAction, "daOptionalInstallation", DeploymentAction.daOptionalInstallation),
    (CategoryType, "ProductFamily", CategoryType.PRODUCT_FAMILY),
    (str | None, None, None),
    (tuple[str, ...], ["a", "b"], ("a", "b")),
    (tuple[UpdateType, ...], ["utSoftware"], (UpdateType.utSoftware,)),
    (Annotated[int, HexNumber(), ULONG], "0x80070643", 0x80070643),
    (Annotated[int, HexNumber(), ULONG], "0x00000000", 0),
    (
        Annotated[str, Guid()],
        "0fa1201d-4330-4fa8-8ae9-b877473b6441",
        "0fa1201d-4330-4fa8-8ae9-b877473b6441",
    ),
]


@pytest.mark.parametrize(("hint", "document", "model"), VECTORS)
def test_load_and_dump(hint: Any, document: Any, model: Any) -> None:
    converter = converter_for(hint)
    loaded = converter.load(document, "field", LoadContext(source="vectors"))
    assert loaded == model
    assert type(loaded) is type(model)
    assert converter.dump(model) == document


# Inputs accepted on load that are written back in another (canonical) form.
ALTERNATIVES: list[tuple[Any, Any, Any]] = [
    (Decimal, "1048576", 1048576),
    (datetime, "2024-05-14T19:00:00+02:00", "2024-05-14T17:00:00Z"),
    (Annotated[int, HexNumber(), ULONG], 2148469026, "0x800F0922"),
    (
        Annotated[str, Guid()],
        "0FA1201D-4330-4FA8-8AE9-B877473B6441",
        "0fa1201d-4330-4fa8-8ae9-b877473b6441",
    ),
]


@pytest.mark.parametrize(("hint", "given", "canonical"), ALTERNATIVES)
def test_alternative_inputs_are_written_canonically(hint: Any, given: Any, canonical: Any) -> None:
    converter = converter_for(hint)
    ctx = LoadContext(source="vectors")
    assert converter.dump(converter.load(given, "field", ctx)) == canonical


def test_document_keys_cover_nested_records() -> None:
    keys = document_keys(Catalog)
    assert "updates[].identity.update_id" in keys
    assert "updates[].driver.driver_ver_date" in keys
    assert "history[].update_identity.revision_number" in keys
    assert "updates[].category_ids" not in keys  # derived, never in a file
