"""`--kerberos` and `wua emulate --keytab` end to end with a real MIT KDC: a `wua emulate`
child process serving a domain-member host, scanned with a ticket from `kinit`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import (
    ADMIN,
    emulated,
    host_config,
    json_lines,
    port_of,
    shared_port,
)
from tests.netns.harness import REPO
from tests.support.kdc import Realm
from wua.emulator.server import FleetThread

MEMBER = "127.0.84.1"
CHILD = "127.0.84.2"
NO_SPN = "127.0.84.3"  # the realm has no host/127.0.84.3
MEMBERS = ("127.0.84.4", "127.0.84.5", "127.0.84.6")


@pytest.fixture(scope="module")
def fleet(kerberos_realm: Realm) -> Iterator[FleetThread]:
    port = shared_port()  # one --port for the hosts of one run
    members = [
        host_config(a, keytab=kerberos_realm.host_keytab(a), resolver_port=port) for a in MEMBERS
    ]
    member = host_config(MEMBER, keytab=kerberos_realm.host_keytab(MEMBER))
    with emulated(member, *members, host_config(NO_SPN)) as running:
        yield running


@pytest.fixture
def ticket(kerberos_realm: Realm) -> dict[str, str]:
    """The environment of a user who ran `kinit Administrator`."""
    cache = kerberos_realm.ccache(*ADMIN)
    return kerberos_realm.client_env(cache)


def test_scan_with_the_ticket_cache(run: Run, fleet: FleetThread, ticket: dict[str, str]) -> None:
    port = port_of(fleet, MEMBER)
    result = run("scan", MEMBER, "--port", str(port), "--kerberos", "--format", "json", env=ticket)
    assert result.exit_code == 0, result.output
    [document] = json_lines(result.stdout, "scan-v1.json")
    catalog = fleet.hosts[0].config.catalog
    titles = {u.title for u in catalog.updates}
    assert document["errors"] == [] and document["updates"]
    assert all(row["title"] in titles for row in document["updates"])
    assert "Passw0rd" not in result.output


def test_scan_without_a_ticket_says_so(run: Run, fleet: FleetThread, kerberos_realm: Realm) -> None:
    port = port_of(fleet, MEMBER)
    env = kerberos_realm.client_env(kerberos_realm.folder / "empty.ccache")
    result = run("scan", MEMBER, "--port", str(port), "--kerberos", env=env)
    assert result.exit_code != 0
    assert "no ticket: run kinit" in result.output


def test_emulate_refuses_an_unusable_keytab(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.keytab"
    bad.write_bytes(b"not a keytab")
    result = run("emulate", "--listen", "127.0.84.9:1", "--keytab", str(bad))
    assert result.exit_code == 2
    assert "--keytab" in result.output and "bad.keytab" in result.output


def test_emulate_child_with_keytab_serves_kerberos(
    run: Run, kerberos_realm: Realm, ticket: dict[str, str]
) -> None:
    keytab = kerberos_realm.host_keytab(CHILD)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wua.cli.main",
            "emulate",
            "--listen",
            f"{CHILD}:0",
            "--keytab",
            str(keytab),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        # "WUA-DEMO-01     127.0.84.2:45043 exporter 45503 updates ..."
        assert line.rstrip().endswith(f"kerberos {keytab.name}")  # says it takes Kerberos
        address = next((word for word in line.split() if word.startswith(f"{CHILD}:")), "")
        assert address, f"no {CHILD}:PORT in {line!r}"
        port = int(address.rsplit(":", 1)[1])
        result = run(
            "info", CHILD, "--port", str(port), "--kerberos", "--format", "json", env=ticket
        )
        assert result.exit_code == 0, result.output
        [info] = json_lines(result.stdout, "info-v1.json")
        assert info["host"] == CHILD and info["errors"] == [] and info["agent"]["product_version"]
    finally:
        child.terminate()
        child.wait(10)


def test_check_passes_every_stage_with_kerberos(
    run: Run, fleet: FleetThread, ticket: dict[str, str]
) -> None:
    port = port_of(fleet, MEMBER)
    result = run("check", MEMBER, "--port", str(port), "--kerberos", "-f", "json", env=ticket)
    assert result.exit_code == 0, result.output
    [report] = json_lines(result.stdout, "check-v1.json")
    assert report["ok"] and report["broken_stage"] is None
    auth = next(s for s in report["stages"] if s["stage"] == "authentication")
    assert auth["status"] == "ok" and "ticket cache" in auth["detail"]


def test_check_names_the_missing_service_principal(
    run: Run, fleet: FleetThread, ticket: dict[str, str]
) -> None:
    port = port_of(fleet, NO_SPN)
    result = run("check", NO_SPN, "--port", str(port), "--kerberos", env=ticket)
    assert result.exit_code == 4, result.output
    assert f"host/{NO_SPN}" in result.output and "Kerberos logon" in result.output
    assert "setspn -L" in result.output  # SEC_E_TARGET_UNKNOWN's fix


def test_scan_with_a_password_instead_of_a_ticket(
    run: Run, fleet: FleetThread, kerberos_realm: Realm
) -> None:
    """No ticket cache, WUA_PASSWORD set: the run asks the KDC for its own ticket."""
    port = port_of(fleet, MEMBER)
    env = kerberos_realm.client_env(kerberos_realm.folder / "nobody.ccache", ADMIN[1])
    args = ["scan", MEMBER, "--port", str(port), "--kerberos", "-u", f"{ADMIN[0]}@WUA.TEST"]
    result = run(*args, "-f", "json", env=env)
    assert result.exit_code == 0, result.output
    [document] = json_lines(result.stdout, "scan-v1.json")
    assert document["errors"] == [] and document["updates"]
    assert ADMIN[1] not in result.output


def _kdc_requests(realm: Realm, since: int) -> tuple[int, int]:
    text = (realm.folder / "kdc.log").read_text()[since:]
    return text.count("AS_REQ"), text.count("TGS_REQ")


@pytest.mark.parametrize("password", [ADMIN[1], "wrong"], ids=["right", "wrong"])
def test_one_login_for_a_run_over_many_hosts(
    run: Run, fleet: FleetThread, kerberos_realm: Realm, password: str
) -> None:
    """Three hosts, one AS exchange: a run logs on once per account (and a wrong password
    is tried once, not once per host: lockout policies count tries)."""
    env = kerberos_realm.client_env(kerberos_realm.folder / "nobody.ccache", password)
    user = ["-u", f"{ADMIN[0]}@WUA.TEST", "--kerberos", "-f", "json"]
    log = kerberos_realm.folder / "kdc.log"
    start = len(log.read_text())
    one = run("scan", MEMBERS[0], "--port", str(port_of(fleet, MEMBERS[0])), *user, env=env)
    single = _kdc_requests(kerberos_realm, start)
    start = len(log.read_text())
    many = run("scan", *MEMBERS, "--port", str(port_of(fleet, MEMBERS[0])), *user, env=env)
    assert _kdc_requests(kerberos_realm, start)[0] == single[0]
    documents = json_lines(many.stdout, "scan-v1.json")
    assert len(documents) == len(MEMBERS)
    if password == ADMIN[1]:
        assert one.exit_code == many.exit_code == 0, many.output
        assert all(d["errors"] == [] and d["updates"] for d in documents)
        assert _kdc_requests(kerberos_realm, start)[1] == len(MEMBERS)  # a ticket per host
    else:
        assert one.exit_code == many.exit_code == 4, many.output
        assert all("password is wrong" in d["errors"][0]["message"] for d in documents)


def test_check_over_many_hosts_logs_on_once(
    run: Run, fleet: FleetThread, kerberos_realm: Realm
) -> None:
    env = kerberos_realm.client_env(kerberos_realm.folder / "nobody.ccache", ADMIN[1])
    start = len((kerberos_realm.folder / "kdc.log").read_text())
    port = str(port_of(fleet, MEMBERS[0]))
    user = ["-u", f"{ADMIN[0]}@WUA.TEST", "--kerberos", "-f", "json"]
    result = run("check", *MEMBERS, "--port", port, *user, env=env)
    assert result.exit_code == 0, result.output
    reports = json_lines(result.stdout, "check-v1.json")
    assert [r["ok"] for r in reports] == [True] * len(MEMBERS)
    assert _kdc_requests(kerberos_realm, start)[0] == 1
