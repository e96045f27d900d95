"""Shared fixtures: where the project's shared reference lives; a Kerberos realm."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.kdc import Realm, TestRealm, missing_tools
from wua.emulator.catalog import default_catalog

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_reference() -> dict[str, Any]:
    """The raw JSON of ../shared/wua-reference, read independently of the package."""
    folder = SHARED / "wua-reference"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside this checkout")
    return {p.stem: json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")}


@pytest.fixture(scope="session")
def kerberos_realm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Realm]:
    """A running MIT KDC for WUA.TEST with the default catalog's accounts as users.

    MIT's library reads KRB5_CONFIG at each context creation, so setting it here points
    every Kerberos context of this test process at the realm. CI installs the KDC
    (scripts/test), so there a missing tool fails instead of skipping."""
    missing = missing_tools()
    try:
        import gssapi  # noqa: F401
    except ImportError:
        missing.append("python-gssapi")
    if missing:
        message = f"Kerberos tests need {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    running = TestRealm(tmp_path_factory.mktemp("kdc"))
    running.start()
    try:
        for account in default_catalog().accounts:
            if account.password is not None:
                running.add_user(account.name, account.password)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KRB5_CONFIG", running.env["KRB5_CONFIG"])
            patch.setenv("KRB5CCNAME", f"FILE:{running.folder / 'no-such.ccache'}")
            yield Realm(running)
    finally:
        running.stop()
