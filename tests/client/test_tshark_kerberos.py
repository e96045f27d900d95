"""Wireshark as an independent judge of our Kerberos: a live capture of a client session
with Kerberos inside Negotiate, read by tshark with the host's keytab. tshark decrypts
the ticket, then the DCE-style wrap tokens, so it can only dissect the sealed calls if
our header, confounder, rotation and checksum are what Windows' peers produce."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import wua
from tests.client.hosts import ADMIN
from tests.support.kdc import REALM, Realm
from tests.support.tshark import (
    VT_DECIMAL_GAP,
    VT_UNKNOWN_GAP,
    Tshark,
    live_capture,
    needs_live_capture,
)
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig

pytestmark = needs_live_capture
ADDRESS = "127.0.57.1"
GAPS = (VT_DECIMAL_GAP, VT_UNKNOWN_GAP)


@pytest.fixture(scope="module")
def keytab(kerberos_realm: Realm) -> Path:
    return kerberos_realm.host_keytab(ADDRESS)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory, keytab: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("capture") / "kerberos.pcapng"
    with (
        live_capture(path, ADDRESS),
        FleetThread([HostConfig(ADDRESS, default_catalog(), keytab=keytab)]),
        wua.connect(ADDRESS, *ADMIN, domain=REALM, kerberos=True) as host,
    ):
        updates = host.update_session.create_update_searcher().search("IsInstalled=0").updates
        for update in updates[:3]:
            assert update.title and update.max_download_size is not None
    yield path


def test_binds_carry_kerberos_inside_negotiate(capture: Path, keytab: Path) -> None:
    reader = Tshark(keytab=keytab)
    rows = reader.fields(
        capture, ["dcerpc.auth_type", "kerberos.msg_type"], "-Y", "dcerpc.pkt_type == 11"
    )
    assert rows and all(row[0] == "9" for row in rows)  # GSS_NEGOTIATE
    assert all("14" in row[1].split(",") for row in rows)  # an AP-REQ in every bind
    answers = reader.fields(capture, ["kerberos.msg_type"], "-Y", "dcerpc.pkt_type == 12")
    assert answers and all("15" in row[0].split(",") for row in answers)  # AP-REP


def test_sealed_calls_are_decrypted_with_the_keytab(capture: Path, keytab: Path) -> None:
    with_key = Tshark(keytab=keytab).run(capture)
    assert "RemoteCreateInstance response" in with_key
    # The summary shows the DISPID and flags only when it could read the sealed stub.
    assert with_key.count("Invoke request ID=0x") >= 5 and "SCode=S_OK" in with_key
    without_key = Tshark().run(capture)
    assert "Invoke request" in without_key and "Invoke request ID=0x" not in without_key


def test_no_malformed_packet_but_the_known_gaps(capture: Path, keytab: Path) -> None:
    verdict = Tshark(keytab=keytab).dissect(capture)
    assert verdict.unexplained(*GAPS) == []
    assert verdict.explained_by(*GAPS)  # the gaps are there: the stubs were dissected
