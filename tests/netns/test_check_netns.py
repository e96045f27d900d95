"""`wua check` against emulated hosts in their own network namespaces, behind real
nftables rules: TCP 135 dropped (timeout), TCP 135 rejected (refused), and the exporter
port dropped (the dllhost.exe exception missing). Where namespaces cannot be made (not
root, no ip/nft), the same diagnoses run against the emulator's fault switches instead;
every test records which way it ran (`way` in the junit properties and on stdout)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import ADMIN, emulated, host_config, json_lines, port_of, wua
from tests.netns.harness import REPO, Block, NamespaceHost, unavailable_reason
from wua.emulator.server import PortState, WireFaults

REASON = unavailable_reason()
NETNS = "netns (nftables in the host's namespace)"
SWITCH = f"emulator fault switch on loopback (namespaces unavailable: {REASON})"
Record = Callable[[str, object], None]


@dataclass(frozen=True)
class Reached:
    way: str
    address: str
    port: int


@contextmanager
def host_behind(rule: str | None, fallback: WireFaults, address: str) -> Iterator[Reached]:
    """A host whose firewall applies `rule` ('135-drop', '135-reject', 'exporter-drop'):
    nftables in a namespace when possible, else the emulator's matching fault switch."""
    if REASON is None:
        with NamespaceHost() as host:
            if rule == "135-drop":
                host.block(135, Block.DROP)
            elif rule == "135-reject":
                host.block(135, Block.REJECT)
            elif rule == "exporter-drop":
                assert host.exporter_port is not None
                host.block(host.exporter_port, Block.DROP)
            yield Reached(NETNS, host.address, 135)
        return
    with emulated(host_config(address, faults=fallback)) as fleet:
        port = port_of(fleet, address) if fallback.resolver is not PortState.REFUSED else 1
        yield Reached(SWITCH, address, port)


def _noted(record_property: Record, reached: Reached) -> None:
    record_property("way", reached.way)
    print(f"ran against: {reached.way}")


def _check(run: Run, reached: Reached) -> tuple[int, dict[str, Any]]:
    result = wua(run, "check", reached.address, reached.port, ADMIN, "--format", "json")
    [document] = json_lines(result.stdout, "check-v1.json")
    return result.exit_code, document


def _failed(document: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in document["stages"] if s["status"] == "failed")


def test_open_firewall_passes(run: Run, record_property: Record) -> None:
    with host_behind(None, WireFaults(), "127.0.82.1") as reached:
        _noted(record_property, reached)
        code, document = _check(run, reached)
    assert code == 0 and document["ok"] is True


def test_135_dropped_times_out(run: Run, record_property: Record) -> None:
    with host_behind("135-drop", WireFaults(resolver=PortState.DROPPED), "127.0.82.2") as reached:
        _noted(record_property, reached)
        code, document = _check(run, reached)
    assert code == 3
    stage = _failed(document)
    if reached.way == NETNS:
        # the kernel drops the SYN: the connection itself times out
        assert document["broken_stage"] == "tcp-135"
        assert "did not answer within 2.0 s" in stage["detail"]
    else:
        # the fault switch can only stay silent after accepting: RPCSS seems mute
        assert document["broken_stage"] == "server-alive"
    assert "svchost.exe" in stage["fix"] or "RPCSS" in stage["fix"]


def test_135_rejected_is_refused_through_a_subprocess(record_property: Record) -> None:
    """The real entry point in a child process, as an administrator would run it."""
    with host_behind("135-reject", WireFaults(resolver=PortState.REFUSED), "127.0.82.3") as reached:
        _noted(record_property, reached)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WUA_")}
        env["WUA_PASSWORD"] = ADMIN[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "wua.cli.main",
                "check",
                reached.address,
                "--port",
                str(reached.port),
                "-u",
                ADMIN[0],
                "--connect-timeout",
                "2",
                "-f",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=60,
            check=False,
        )
    assert done.returncode == 3, done.stderr
    [document] = json_lines(done.stdout, "check-v1.json")
    assert document["broken_stage"] == "tcp-135"
    assert "refused the connection" in _failed(document)["detail"]


def test_exporter_port_dropped(run: Run, record_property: Record) -> None:
    with host_behind(
        "exporter-drop", WireFaults(exporter=PortState.DROPPED), "127.0.82.4"
    ) as reached:
        _noted(record_property, reached)
        code, document = _check(run, reached)
    assert code == 3 and document["broken_stage"] == "exporter-port"
    stage = _failed(document)
    assert r"%SystemRoot%\system32\dllhost.exe" in stage["fix"]
    statuses = {s["stage"]: s["status"] for s in document["stages"]}
    assert statuses["authentication"] == statuses["administrator"] == "ok"


@pytest.mark.skipif(REASON is not None, reason=f"network namespaces unavailable: {REASON}")
def test_namespaces_are_removed_after_use() -> None:
    with NamespaceHost() as host:
        name = host.plan.namespace
        listed = subprocess.run(
            ["ip", "netns", "list"], capture_output=True, text=True, check=True
        ).stdout
        assert name in listed
    listed = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert name not in listed
    links = subprocess.run(["ip", "link"], capture_output=True, text=True, check=True).stdout
    assert host.plan.root_link not in links
