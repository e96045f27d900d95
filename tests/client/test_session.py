"""The client against the emulated host: searches, errors naming their stage, remote
rules refused with zero bytes on the socket, releases at close."""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import wua
from tests.client.hosts import ADMIN, DROPPED_EXPORTER, GOOD, fleet, target
from wua.cli.connect_options import AuthLevel as CliAuthLevel
from wua.cli.connect_options import ConnectOptions
from wua.cli.secret import Secret
from wua.client.objects import RemoteList
from wua.emulator.server import FleetThread
from wua.errors import AccessDenied, AuthenticationFailed, HostUnreachable, NotAvailableRemotely
from wua.reference.enums import InstallationRebootBehavior, UpdateType
from wua.rpc.security.ntlm_crypto import nt_hash


@pytest.fixture(scope="module")
def hosts() -> Iterator[FleetThread]:
    with fleet() as running:
        yield running


def test_search_titles_and_kbs(hosts: FleetThread) -> None:
    catalog = hosts.hosts[0].config.catalog
    pending = {u.update_id: u for u in catalog.searchable_updates if not u.is_installed}
    with wua.connect(target(hosts, GOOD), *ADMIN) as host:
        searcher = host.update_session.create_update_searcher()
        updates = searcher.search("IsInstalled=0").updates
        assert isinstance(updates, RemoteList) and 0 < len(updates) <= len(pending)
        for update in updates[:5]:
            record = pending[update.identity.update_id]
            assert update.title == record.title
            assert update.kb_article_ids == list(record.kb_article_ids)
            assert update.type is UpdateType(record.type)
            assert isinstance(update.max_download_size, Decimal)
            assert update.last_deployment_change_time.tzinfo is not None


async def test_asyncio_flavour_and_two_sessions_to_one_host(hosts: FleetThread) -> None:
    async with (
        wua.aio.connect(target(hosts, GOOD), *ADMIN) as one,
        wua.aio.connect(target(hosts, GOOD), *ADMIN) as two,
    ):
        first = await (await one.update_session.create_update_searcher()).search("IsInstalled=1")
        second = await (await two.update_session.create_update_searcher()).search("IsInstalled=0")
        installed, pending = await first.updates, await second.updates
        assert installed and pending
        assert {await u.is_installed for u in installed} == {True}
        assert {await u.is_installed for u in pending} == {False}
        assert one.calls is not two.calls


def test_restricted_members_send_nothing(hosts: FleetThread) -> None:
    with wua.connect(target(hosts, GOOD), *ADMIN) as host:
        session = host.session
        updates = host.update_session.create_update_searcher().search("IsInstalled=0").updates
        update = updates[0]
        host.flush_releases()  # the searcher, result and enumerator are gone: released now
        before = session.bytes_sent
        calls = session.calls.total
        with pytest.raises(NotAvailableRemotely) as caught:
            update.is_hidden = True
        assert "IsHidden" in str(caught.value) and caught.value.workaround
        with pytest.raises(NotAvailableRemotely):
            host.update_session.create_update_installer()
        with pytest.raises(NotAvailableRemotely) as begin:
            host.update_session.create_update_searcher  # noqa: B018 (attribute, not a call)
            update.accept_eula()
        assert "scheduled task" in (begin.value.fix or "")
        assert session.bytes_sent == before and session.calls.total == calls


def test_wrong_password_names_authentication(hosts: FleetThread) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        wua.connect(target(hosts, GOOD), "Administrator", "wrong")
    assert caught.value.stage == "authentication" and caught.value.host == GOOD


@pytest.mark.parametrize("account", [("auditor", "Read0nly!"), ("wuadmin", "Adm1n!2026")])
def test_non_admin_names_activation(hosts: FleetThread, account: tuple[str, str]) -> None:
    with pytest.raises(AccessDenied) as caught:
        wua.connect(target(hosts, GOOD), *account)
    assert caught.value.stage == "activation" and caught.value.host == GOOD
    assert "LocalAccountTokenFilterPolicy" in str(caught.value)


def test_refused_135_names_tcp_135() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.51.9", 0))
        port = probe.getsockname()[1]
    with pytest.raises(HostUnreachable) as caught:
        wua.connect(f"127.0.51.9:{port}", *ADMIN, timeout=5)
    assert caught.value.stage == "TCP 135" and caught.value.host == "127.0.51.9"


def test_dropped_exporter_names_exporter_port(hosts: FleetThread) -> None:
    with pytest.raises(HostUnreachable) as caught:
        wua.connect(target(hosts, DROPPED_EXPORTER), *ADMIN, timeout=0.5)
    assert caught.value.stage == "exporter port" and caught.value.host == DROPPED_EXPORTER


def test_close_releases_every_object(hosts: FleetThread) -> None:
    table = hosts.hosts[0].runtime.table
    before = len(table)
    with wua.connect(target(hosts, GOOD), *ADMIN) as host:
        updates = host.update_session.create_update_searcher().search("IsInstalled=0").updates
        assert [u.title for u in updates[:3]]
        assert len(table) > before
    assert len(table) == before


@dataclasses.dataclass
class ScanRow:
    title: str
    update_id: str
    reboot: InstallationRebootBehavior
    kb_article_ids: list[str]


def test_snapshots_read_paths_into_dicts_dataclasses_and_json(hosts: FleetThread) -> None:
    with wua.connect(target(hosts, GOOD), *ADMIN) as host:
        update = host.update_session.create_update_searcher().search("IsInstalled=0").updates[0]
        row = update.snapshot_as(
            ScanRow,
            {"update_id": "identity.update_id", "reboot": "installation_behavior.reboot_behavior"},
        )
        assert row.title == update.title and row.update_id == update.identity.update_id
        assert isinstance(row.reboot, InstallationRebootBehavior)
        data = update.snapshot(
            [
                "title",
                "identity.update_id",
                "identity.revision_number",
                "max_download_size",
                "last_deployment_change_time",
                "type",
            ],
            as_json=True,
        )
        text = json.dumps(data)
        assert json.loads(text)["type"] in ("utSoftware", "utDriver")
        assert isinstance(data["max_download_size"], int)
        assert data["identity.update_id"] == row.update_id


def test_connect_options_and_nt_hash(hosts: FleetThread) -> None:
    address, port = target(hosts, GOOD).split(":")
    options = ConnectOptions(
        host=address,
        port=int(port),
        username="Administrator",
        domain=None,
        secret=None,
        nt_hash=Secret(nt_hash("Passw0rd!").hex(), source="test"),
        kerberos=False,
        auth_level=CliAuthLevel.INTEGRITY,
        connect_timeout=5.0,
        call_timeout=30.0,
    )
    with wua.connect(options) as host:
        assert host.update_session.create_update_searcher().search("IsInstalled=1").updates


def test_kerberos_without_a_realm_says_so_and_sends_no_ntlm(
    hosts: FleetThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kerberos=True means Kerberos only: with no KDC configured the client stops with
    the reason instead of falling back to NTLM (tests/client/test_kerberos_session.py
    has the cases with a realm)."""
    empty = tmp_path / "krb5.conf"
    empty.write_text("[libdefaults]\n dns_lookup_kdc = false\n dns_lookup_realm = false\n")
    monkeypatch.setenv("KRB5_CONFIG", str(empty))
    with pytest.raises(AuthenticationFailed) as caught:
        wua.connect(target(hosts, GOOD), *ADMIN, kerberos=True)
    assert caught.value.stage == "authentication"
    assert "Kerberos could not start for host/127.0.51.1" in str(caught.value)
