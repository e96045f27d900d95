"""Each broken catalog raises CatalogError naming the field at fault."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.catalog.documents import COMPANY, PRODUCT, UPDATE_A, minimal_document
from wua.emulator.catalog import parse_catalog
from wua.errors import CatalogError

Doc = dict[str, Any]


def _update(doc: Doc, **changes: Any) -> None:
    doc["updates"][0].update(changes)


def _drop(mapping: dict[str, Any], key: str) -> None:
    del mapping[key]


# (what is broken, how to break the minimal document, the field path, a fragment of the message)
BROKEN: list[tuple[str, Callable[[Doc], object], str, str]] = [
    ("missing format", lambda d: _drop(d, "format"), "format", "missing"),
    ("unsupported format", lambda d: d.update(format="wua-catalog/2"), "format", "unsupported"),
    ("missing title", lambda d: _drop(d["updates"][0], "title"), "updates[0].title", "missing"),
    ("missing host", lambda d: _drop(d, "host"), "host", "missing"),
    (
        "bool as string",
        lambda d: _update(d, is_installed="yes"),
        "updates[0].is_installed",
        "true or false",
    ),
    ("bool as int", lambda d: d["host"].update(os_build=True), "host.os_build", "integer"),
    ("string as int", lambda d: _update(d, title=5), "updates[0].title", "string"),
    (
        "list as scalar",
        lambda d: _update(d, kb_article_ids="5037782"),
        "updates[0].kb_article_ids",
        "list",
    ),
    ("updates not a list", lambda d: d.update(updates={}), "updates", "list"),
    ("host not a mapping", lambda d: d.update(host="H"), "host", "mapping"),
    (
        "bad GUID",
        lambda d: d["updates"][0]["identity"].update(update_id="not-a-guid"),
        "updates[0].identity.update_id",
        "not a GUID",
    ),
    (
        "bad GUID in a list",
        lambda d: _update(d, superseded_update_ids=[UPDATE_A, "{x}"]),
        "updates[0].superseded_update_ids[1]",
        "not a GUID",
    ),
    ("unknown enum name", lambda d: _update(d, type="utFirmware"), "updates[0].type", "UpdateType"),
    ("enum by number", lambda d: _update(d, type=1), "updates[0].type", "UpdateType"),
    (
        "close enum name",
        lambda d: _update(d, download_priority="dpnormal"),
        "updates[0].download_priority",
        "dpNormal",
    ),
    (
        "unknown string enum",
        lambda d: d["categories"][0].update(type="Vendor"),
        "categories[0].type",
        "CategoryType",
    ),
    ("unknown key", lambda d: _update(d, titel="x"), "updates[0].titel", "did you mean 'title'"),
    ("unknown top-level key", lambda d: d.update(hisory=[]), "hisory", "unknown field"),
    (
        "unknown nested key",
        lambda d: d["updates"][0]["identity"].update(revison=1),
        "updates[0].identity.revison",
        "unknown field",
    ),
    (
        "derived field set",
        lambda d: _update(d, category_ids=[PRODUCT]),
        "updates[0].category_ids",
        "computed",
    ),
    (
        "duplicate update ID",
        lambda d: d["updates"][1]["identity"].update(update_id=UPDATE_A.upper()),
        "updates[1].identity.update_id",
        "duplicate update",
    ),
    (
        "duplicate category ID",
        lambda d: d["categories"][1].update(category_id=COMPANY),
        "categories[1].category_id",
        "duplicate category",
    ),
    (
        "duplicate account",
        lambda d: d["accounts"][1].update(name="Administrator"),
        "accounts[1].name",
        "duplicate account",
    ),
    (
        "unknown category in update",
        lambda d: _update(d, categories=["22222222-0000-0000-0000-000000000000"]),
        "updates[0].categories[0]",
        "unknown category",
    ),
    (
        "unknown parent category",
        lambda d: d["categories"][1].update(parent="22222222-0000-0000-0000-000000000000"),
        "categories[1].parent",
        "unknown category",
    ),
    (
        "unknown category in history",
        lambda d: d["history"][0].update(categories=["22222222-0000-0000-0000-000000000000"]),
        "history[0].categories[0]",
        "unknown category",
    ),
    (
        "unknown bundled update",
        lambda d: _update(d, bundled_updates=["22222222-0000-0000-0000-000000000000"]),
        "updates[0].bundled_updates[0]",
        "unknown update",
    ),
    (
        "category cycle",
        lambda d: d["categories"][0].update(parent=PRODUCT),
        "categories[0].parent",
        "loops",
    ),
    (
        "bundled in itself",
        lambda d: _update(d, bundled_updates=[UPDATE_A]),
        "updates[0].bundled_updates",
        "itself",
    ),
    (
        "two default services",
        lambda d: d["services"][1].update(is_default_au_service=True),
        "services[1].is_default_au_service",
        "more than one default",
    ),
    (
        "no default service",
        lambda d: d["services"][0].update(is_default_au_service=False),
        "services",
        "exactly one",
    ),
    (
        "password and hash",
        lambda d: d["accounts"][0].update(nt_hash="fc525c9683e8fe067095ba2ddc971889"),
        "accounts[0].nt_hash",
        "not both",
    ),
    (
        "neither password nor hash",
        lambda d: _drop(d["accounts"][0], "password"),
        "accounts[0]",
        "needs a password",
    ),
    (
        "short NT hash",
        lambda d: d["accounts"][1].update(nt_hash="abc"),
        "accounts[1].nt_hash",
        "32 hex",
    ),
    (
        "built-in admin not admin",
        lambda d: d["accounts"][0].update(is_admin=False),
        "accounts[0].builtin_admin",
        "is an admin",
    ),
    (
        "negative revision",
        lambda d: d["updates"][0]["identity"].update(revision_number=-1),
        "updates[0].identity.revision_number",
        "outside",
    ),
    (
        "float size",
        lambda d: _update(d, max_download_size=1.5),
        "updates[0].max_download_size",
        "decimal",
    ),
    (
        "sizes reversed",
        lambda d: _update(d, min_download_size=10**12),
        "updates[0].min_download_size",
        "larger",
    ),
    (
        "severity",
        lambda d: _update(d, msrc_severity="Severe"),
        "updates[0].msrc_severity",
        "one of",
    ),
    (
        "naive date-time",
        lambda d: _update(d, last_deployment_change_time="2024-05-14T17:00:00"),
        "updates[0].last_deployment_change_time",
        "time zone",
    ),
    ("not a date", lambda d: _update(d, deadline="soon"), "updates[0].deadline", "ISO 8601"),
    (
        "bad HRESULT text",
        lambda d: d["history"][0].update(hresult="E_FAIL"),
        "history[0].hresult",
        "hex",
    ),
    (
        "HRESULT too big",
        lambda d: d["history"][0].update(hresult=2**32),
        "history[0].hresult",
        "outside",
    ),
    (
        "driver without fields",
        lambda d: _drop(d["updates"][1], "driver"),
        "updates[1].driver",
        "needs",
    ),
    (
        "software with driver fields",
        lambda d: _update(d, driver=d["updates"][1]["driver"]),
        "updates[0].driver",
        "only utDriver",
    ),
    ("bad host name", lambda d: d["host"].update(name="bad name"), "host.name", "host name"),
    (
        "bad architecture",
        lambda d: d["host"].update(architecture="ia64"),
        "host.architecture",
        "one of",
    ),
    (
        "bad cert hex",
        lambda d: d["services"][0].update(content_validation_cert="xyz"),
        "services[0].content_validation_cert",
        "hex",
    ),
]


@pytest.mark.parametrize(
    ("breakage", "field", "fragment"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_catalog_names_the_field(
    breakage: Callable[[Doc], object], field: str, fragment: str
) -> None:
    doc = minimal_document()
    breakage(doc)
    with pytest.raises(CatalogError) as caught:
        parse_catalog(doc, source="broken.yaml")
    assert caught.value.field == field
    assert fragment in str(caught.value)
    assert caught.value.source == "broken.yaml"
    assert caught.value.hresult == 0x80240031  # WU_E_INVALID_FILE


def test_the_unbroken_document_is_valid() -> None:
    catalog = parse_catalog(minimal_document())
    assert [u.title for u in catalog.updates] == [
        "2024-05 Cumulative Update (KB5037782)",
        "Intel - System - 1.2.3.4",
    ]


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog([1, 2], source="list.yaml")
    assert caught.value.field == ""
    assert "mapping" in str(caught.value)
