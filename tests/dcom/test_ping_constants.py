"""The client's ping loop and the emulated exporter's collection read one ping period."""

from __future__ import annotations

from wua.client.ping import DEFAULT_PING_PERIOD as CLIENT_PERIOD
from wua.dcom.orpc import PING_PERIOD_SECONDS, PINGS_MISSED_BEFORE_COLLECTION
from wua.emulator.server.config import DEFAULT_PING_PERIOD as HOST_PERIOD
from wua.emulator.server.objects import MISSED_PINGS


def test_both_sides_use_the_ms_dcom_ping_period() -> None:
    assert (
        (CLIENT_PERIOD, HOST_PERIOD)
        == (PING_PERIOD_SECONDS, PING_PERIOD_SECONDS)
        == (
            120.0,
            120.0,
        )
    )


def test_the_exporter_collects_after_three_missed_pings() -> None:
    assert MISSED_PINGS == PINGS_MISSED_BEFORE_COLLECTION == 3
