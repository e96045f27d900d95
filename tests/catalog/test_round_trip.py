"""dump_catalog and parse_catalog are inverse, through YAML and JSON text and files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.documents import minimal_document
from wua.emulator.catalog import Catalog, dump_catalog, load_catalog, parse_catalog
from wua.emulator.catalog.fleet import generate_hosts
from wua.emulator.catalog.loader import read_document, render_json, render_yaml
from wua.errors import CatalogError

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
SIZES = st.decimals(min_value=0, max_value=2**40, places=0, allow_nan=False, allow_infinity=False)
MOMENTS = st.datetimes(timezones=st.just(UTC))


def _through_every_form(catalog: Catalog) -> None:
    document = dump_catalog(catalog)
    assert parse_catalog(document) == catalog
    assert parse_catalog(read_document(render_yaml(document))) == catalog
    assert parse_catalog(json.loads(render_json(document))) == catalog


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    title=TEXT,
    description=TEXT,
    size=SIZES,
    deadline=st.none() | MOMENTS,
    hresult=st.integers(0, 2**32 - 1),
    cert=st.none() | st.binary(max_size=16),
)
def test_round_trip_of_varied_hosts(
    seed: int,
    title: str,
    description: str,
    size: Decimal,
    deadline: object,
    hresult: int,
    cert: bytes | None,
) -> None:
    (host,) = generate_hosts(1, seed=seed)
    if host.updates:
        first = replace(
            host.updates[0],
            title=title,
            description=description,
            max_download_size=size,
            min_download_size=size,
            deadline=deadline,
        )
        host = replace(host, updates=(first, *host.updates[1:]))
    if host.history:
        host = replace(host, history=(replace(host.history[0], hresult=hresult), *host.history[1:]))
    services = (replace(host.services[0], content_validation_cert=cert), *host.services[1:])
    _through_every_form(replace(host, services=services))


def test_round_trip_of_the_minimal_document() -> None:
    _through_every_form(parse_catalog(minimal_document()))


def test_dump_leaves_out_defaults() -> None:
    document = dump_catalog(parse_catalog(minimal_document()))
    update = document["updates"][0]
    assert "is_hidden" not in update
    assert update["max_download_size"] == 524288000
    assert "category_ids" not in update


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_load_catalog_reads_both_formats(tmp_path: Path, suffix: str) -> None:
    catalog = parse_catalog(minimal_document())
    render = render_json if suffix == ".json" else render_yaml
    path = tmp_path / f"host{suffix}"
    path.write_text(render(dump_catalog(catalog)), "utf-8")
    assert load_catalog(path) == catalog


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CatalogError) as caught:
        load_catalog(missing)
    assert caught.value.source == str(missing)
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("format: [unclosed", "utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(bad_yaml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{'format': 1}", "utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(bad_json)
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: wua-catalog/1\nhost: 3\n", "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(broken)
    assert (caught.value.source, caught.value.field) == (str(broken), "host")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_canonical_text_is_a_fixed_point(seed: int) -> None:
    (host,) = generate_hosts(1, seed=seed)
    text = render_yaml(dump_catalog(host))
    again = render_yaml(dump_catalog(parse_catalog(yaml.safe_load(text))))
    assert again == text


@pytest.mark.parametrize(
    "text", ["\x85", "x\u2028y\u2029", "caf\xe9 \U0001f600", "tab\there", " lead", "'q'"]
)
def test_yaml_text_keeps_awkward_characters(text: str) -> None:
    """PyYAML writes a raw NEL with allow_unicode=True and readers fold it to a space."""
    assert read_document(render_yaml({"title": text})) == {"title": text}
