"""A fresh emulated host per test, on the shipped default catalog."""

from __future__ import annotations

import pytest

from tests.emulator_wua.helpers import WARNING
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import EmulatedObject, HostBehaviour, HostState, activate


@pytest.fixture
def state() -> HostState:
    return HostState(default_catalog())


@pytest.fixture
def warning_state() -> HostState:
    return HostState(default_catalog(), HostBehaviour(search_warnings=(WARNING,)))


@pytest.fixture
def session(state: HostState) -> EmulatedObject:
    return activate(state, "Microsoft.Update.Session")
