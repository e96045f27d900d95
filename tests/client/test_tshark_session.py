"""A live loopback capture of a full client session (activation, search, reads through
IDispatch and IEnumVARIANT, QueryInterface, pings, releases at close): tshark, given the
NTLM password, decrypts and dissects it with no malformed packet and no expert error,
except exactly two known gaps of Wireshark's VARIANT dissector: VT_DECIMAL (design §2,
MaxDownloadSize) and VT_UNKNOWN, whose MInterfacePointer it never reads (it takes the
pointer and stops, so `_NewEnum`'s answer runs into the EXCEPINFO that follows)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import wua
from tests.client.hosts import ADMIN
from tests.support.tshark import (
    VT_DECIMAL_GAP,
    VT_UNKNOWN_GAP,
    Tshark,
    Verdict,
    live_capture,
    needs_live_capture,
)
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

pytestmark = needs_live_capture
ADDRESS = "127.0.55.1"
GAPS = (VT_DECIMAL_GAP, VT_UNKNOWN_GAP)
READER = Tshark(nt_password=ADMIN[1])


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("capture") / "client.pcapng"
    with (
        live_capture(path, ADDRESS),
        FleetThread([HostConfig(ADDRESS, default_catalog(), ping_period=0.2)]),
        wua.connect(ADDRESS, *ADMIN, ping_period=0.05) as host,
    ):
        searcher = host.update_session.create_update_searcher()
        updates = searcher.search("IsInstalled=0").updates
        for update in updates[:3]:
            assert update.title and update.max_download_size is not None
            assert update.identity.update_id
            update.cve_ids  # noqa: B018 (a read: enumerated when long)
        assert searcher.query_history(0, 5)
        time.sleep(0.2)  # a few pings
    yield path


@pytest.fixture(scope="module")
def verdict(capture: Path) -> Verdict:
    return READER.dissect(capture)


def test_the_session_is_dissected_and_decrypted(capture: Path) -> None:
    summary = READER.run(capture)
    assert "RemoteCreateInstance response" in summary
    assert "Invoke request" in summary and "Invoke response" in summary
    assert "GetIDsOfNames" not in summary  # DISPIDs come from the reference
    assert "ComplexPing" in summary and "RemRelease" in summary


def test_no_malformed_packet_but_the_known_gaps(verdict: Verdict) -> None:
    assert verdict.unexplained(*GAPS) == []
    for gap in GAPS:  # both gaps are really there (MaxDownloadSize, _NewEnum)
        assert any(gap.explains(f) for f in verdict.malformed), gap


def test_no_expert_error_but_the_known_gaps(verdict: Verdict) -> None:
    rows = verdict.expert_errors
    assert all((row.group, row.protocol) == ("Malformed", "IDispatch") for row in rows), (
        verdict.expert_report
    )
    gap_frames = len(verdict.explained_by(*GAPS))
    assert verdict.expert_error_count == gap_frames
