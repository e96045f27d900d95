"""Shared fixtures: where the project's shared reference lives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_reference() -> dict[str, Any]:
    """The raw JSON of ../shared/wua-reference, read independently of the package."""
    folder = SHARED / "wua-reference"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside this checkout")
    return {p.stem: json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")}
