"""`wua scan` names each host's computer, read from the host itself (ServerAlive2's
bindings), in JSON, CSV and the table title; a host that will not say leaves it out."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
from collections.abc import Iterator

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import ADMIN, emulated, host_config, json_lines, port_of, wua
from tests.cli_ux.test_cli_ux import closed_port
from wua.cli.render import CSV_COLUMNS
from wua.client.computer_name import computer_name_of, read_computer_name
from wua.client.transport import HostAddress
from wua.dcom.bindings import DualStringArray, StringBinding
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

DEFAULT = "127.0.0.93"
RENAMED = "127.0.0.94"
DEFAULT_NAME = default_catalog().host.name.upper()[:15]  # NetBIOS: upper case, 15 at most


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    catalog = default_catalog()
    renamed = dataclasses.replace(
        catalog, host=dataclasses.replace(catalog.host, name="patch-target-0042")
    )
    with emulated(host_config(DEFAULT), HostConfig(RENAMED, renamed, resolver_port=0)) as running:
        yield running


def test_json_names_the_default_host(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", DEFAULT, port_of(fleet, DEFAULT), ADMIN, "-f", "json")
    assert result.exit_code == 0, result.output
    [document] = json_lines(result.stdout, "scan-v1.json")
    assert document["host"] == DEFAULT and document["computer_name"] == DEFAULT_NAME
    assert DEFAULT_NAME == "WUA-DEMO-01"


def test_json_name_comes_from_the_host(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", RENAMED, port_of(fleet, RENAMED), ADMIN, "-f", "json")
    [document] = json_lines(result.stdout, "scan-v1.json")
    assert document["computer_name"] == "PATCH-TARGET-00"


def test_csv_has_the_name_in_the_last_column(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", DEFAULT, port_of(fleet, DEFAULT), ADMIN, "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and tuple(rows[0].keys()) == CSV_COLUMNS and CSV_COLUMNS[-1] == "computer_name"
    assert {row["computer_name"] for row in rows} == {DEFAULT_NAME}


def test_table_title_shows_address_and_name(run: Run, fleet: FleetThread) -> None:
    result = wua(run, "scan", DEFAULT, port_of(fleet, DEFAULT), ADMIN)
    assert result.exit_code == 0, result.output
    assert f"{DEFAULT} ({DEFAULT_NAME}): " in result.stdout


def test_no_answer_is_no_name() -> None:
    address = HostAddress("127.0.0.95", closed_port())
    assert asyncio.run(read_computer_name(address, timeout=2)) is None


@pytest.mark.parametrize(
    ("addresses", "name"),
    [
        (("SRV01", "10.0.0.5", "fe80::1"), "SRV01"),
        (("10.0.0.5", "SRV01"), "SRV01"),
        (("10.0.0.5", "fe80::1"), None),
        (("SRV01[49702]", "10.0.0.5[49702]"), "SRV01"),
        ((), None),
    ],
)
def test_name_is_the_first_binding_that_is_not_an_address(
    addresses: tuple[str, ...], name: str | None
) -> None:
    bindings = DualStringArray(tuple(StringBinding.tcp(a) for a in addresses))
    assert computer_name_of(bindings) == name


def test_no_bindings_is_no_name() -> None:
    assert computer_name_of(None) is None
