"""Emulated hosts in network namespaces, behind a firewall made of nftables rules.

Why namespaces: a dropped or refused port is only a real firewall's behaviour when the
kernel does it. Each host gets its own namespace, joined to the root namespace by a veth
pair on a private /30 that exists only on this machine, and an nftables table that plays
the Windows firewall (drop: the client's connect times out; reject: it is refused).

Everything created is removed again in `close()`, which the context manager always
calls; names carry this process's id so concurrent test runs do not collide.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import IO, Self

SUMMARY = re.compile(r"^\S+\s+(?P<address>[\d.]+):(?P<port>\d+) exporter (?P<exporter>\d+|closed)")
_COUNTER = itertools.count()
REPO = Path(__file__).resolve().parents[2]


class Block(Enum):
    """How the namespace's firewall treats a port: as Windows Firewall's block rule does
    (DROP, silence) or as a host with the port closed does (REJECT, a TCP reset)."""

    DROP = "drop"
    REJECT = "reject with tcp reset"


def unavailable_reason() -> str | None:
    """Why namespaces cannot be used here, or None when they can.

    WUA_TESTS_NO_NETNS=1 forces the fallback, so both ways can be exercised on one machine.
    """
    if os.environ.get("WUA_TESTS_NO_NETNS"):
        return "disabled by WUA_TESTS_NO_NETNS"
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "nft"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (scripts/test installs it)"
    probe = f"wuaprobe{os.getpid() % 100000}"
    made = subprocess.run(
        ["ip", "netns", "add", probe], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, check=False)
    return None


def _run(*args: str) -> None:
    done = subprocess.run(list(args), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()}")


@dataclass(frozen=True)
class Plan:
    """Names and addresses of one namespace: 10.213.X.Y/30, root side .1, host side .2."""

    namespace: str
    root_link: str
    host_link: str
    root_address: str
    host_address: str

    @classmethod
    def fresh(cls) -> Plan:
        tag = f"{os.getpid() % 100000}x{next(_COUNTER)}"
        subnet = secrets.randbelow(64 * 256) * 4
        base = f"10.213.{subnet // 256}.{subnet % 256}"
        prefix = base.rsplit(".", 1)[0]
        last = int(base.rsplit(".", 1)[1])
        return cls(
            f"wua{tag}", f"wr{tag}", f"wh{tag}", f"{prefix}.{last + 1}", f"{prefix}.{last + 2}"
        )


class NamespaceHost:
    """`wua emulate` running inside its own namespace; `address` is where to reach it."""

    def __init__(self, *emulate_args: str) -> None:
        self.plan = Plan.fresh()
        self.emulate_args = emulate_args
        self.process: subprocess.Popen[str] | None = None
        self.exporter_port: int | None = None
        self._created: list[list[str]] = []

    @property
    def address(self) -> str:
        return self.plan.host_address

    def open(self) -> None:
        plan = self.plan
        _run("ip", "netns", "add", plan.namespace)
        self._created.append(["ip", "netns", "del", plan.namespace])
        _run("ip", "link", "add", plan.root_link, "type", "veth", "peer", "name", plan.host_link)
        self._created.append(["ip", "link", "del", plan.root_link])
        _run("ip", "link", "set", plan.host_link, "netns", plan.namespace)
        _run("ip", "addr", "add", f"{plan.root_address}/30", "dev", plan.root_link)
        _run("ip", "link", "set", plan.root_link, "up")
        inside = ("ip", "-n", plan.namespace)
        _run(*inside, "addr", "add", f"{plan.host_address}/30", "dev", plan.host_link)
        _run(*inside, "link", "set", plan.host_link, "up")
        _run(*inside, "link", "set", "lo", "up")
        _run("ip", "netns", "exec", plan.namespace, "nft", "add", "table", "inet", "wuafw")
        _run(
            "ip",
            "netns",
            "exec",
            plan.namespace,
            "nft",
            "add",
            "chain",
            "inet",
            "wuafw",
            "input",
            "{ type filter hook input priority 0 ; policy accept ; }",
        )
        self._start_emulator()

    def _start_emulator(self) -> None:
        command = [
            "ip",
            "netns",
            "exec",
            self.plan.namespace,
            sys.executable,
            "-u",
            "-m",
            "wua.cli.main",
            "emulate",
            "--listen",
            f"{self.address}:135",
            *self.emulate_args,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO
        )
        stdout: IO[str] | None = self.process.stdout
        line = stdout.readline() if stdout is not None else ""
        found = SUMMARY.match(line)
        if found is None:
            errors = self.process.stderr.read() if self.process.stderr else ""
            raise RuntimeError(f"the emulator did not start: {line!r} {errors}")
        exporter = found["exporter"]
        self.exporter_port = None if exporter == "closed" else int(exporter)

    def block(self, port: int, how: Block) -> None:
        """Add a firewall rule inside the host's namespace for incoming TCP `port`."""
        rule = f"tcp dport {port} {how.value}"
        _run(
            "ip",
            "netns",
            "exec",
            self.plan.namespace,
            "nft",
            "add",
            "rule",
            "inet",
            "wuafw",
            "input",
            *rule.split(),
        )

    def close(self) -> None:
        """Stop the emulator (by its own pid) and remove what open() created."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
        for command in reversed(self._created):
            subprocess.run(command, capture_output=True, check=False)
        self._created.clear()

    def __enter__(self) -> Self:
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
