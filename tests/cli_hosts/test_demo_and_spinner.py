"""`wua demo` goes over the wire (an in-process emulated host, the real client), and the
search spinner shows only on a terminal, on stderr, with the elapsed time."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import json_lines
from wua.cli.demo import demo_account
from wua.cli.spinner import searching
from wua.emulator.catalog import dump_catalog
from wua.emulator.catalog.default import default_catalog
from wua.emulator.catalog.loader import render_yaml
from wua.errors import CatalogError


def test_demo_scans_over_dcom(run: Run) -> None:
    result = run("demo", "-f", "json")
    assert result.exit_code == 0, result.output
    [document] = json_lines(result.stdout, "scan-v1.json")
    assert document["host"] == "127.0.0.1" and document["updates"]
    assert document["computer_name"] == "WUA-DEMO-01"
    found = re.search(
        r"emulated on 127\.0\.0\.1:(\d+), scanned over DCOM as Administrator", result.stderr
    )
    assert found is not None and int(found[1]) > 0


def test_demo_account_is_one_uac_does_not_filter() -> None:
    catalog = default_catalog()
    assert demo_account(catalog).name == "Administrator"
    only_filtered = dataclasses.replace(
        catalog, accounts=tuple(a for a in catalog.accounts if not a.builtin_admin)
    )
    with pytest.raises(CatalogError) as caught:
        demo_account(only_filtered)
    assert caught.value.field == "accounts"


def test_demo_catalog_without_usable_account_exits_2(run: Run, tmp_path: Path) -> None:
    catalog = default_catalog()
    catalog = dataclasses.replace(
        catalog, accounts=tuple(a for a in catalog.accounts if not a.builtin_admin)
    )
    path = tmp_path / "host.yaml"
    path.write_text(render_yaml(dump_catalog(catalog)), "utf-8")
    result = run("demo", "--catalog", str(path))
    assert result.exit_code == 2 and "no administrator" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_spinner_only_on_a_terminal() -> None:
    piped = io.StringIO()
    with searching("searching host", piped) as shown:
        assert shown is False
    assert piped.getvalue() == ""
    terminal = _Terminal()
    with searching("searching host", terminal) as shown:
        assert shown is True
    text = terminal.getvalue()
    assert "searching host" in text and re.search(r"\d:\d\d:\d\d", text)
