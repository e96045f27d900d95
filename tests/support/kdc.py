"""A throwaway MIT Kerberos realm on loopback for the Kerberos tests.

Debian's krb5-kdc (installed by scripts/test) runs in the foreground with its database,
stash, configuration and keytabs in one temporary folder, on a free loopback port.
Principals are added through kadmin.local reading its commands on stdin, so no password
appears in a process's arguments. The tests point MIT's library at this realm with
KRB5_CONFIG (read at every context creation) and, for ticket-cache tests, KRB5CCNAME.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REALM = "WUA.TEST"
#: impacket's Kerberos client always dials port 88; as root the KDC listens there too,
#: on an address of its own.
PORT_88_ADDRESS = "127.0.88.1"
_TOOLS = ("krb5kdc", "kdb5_util", "kadmin.local", "kinit", "kvno")
_SBIN = ("/usr/sbin", "/usr/bin")


def missing_tools() -> list[str]:
    """The MIT tools this machine lacks (empty when a realm can be made)."""
    return [tool for tool in _TOOLS if _which(tool) is None]


def _which(tool: str) -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), *_SBIN])
    return shutil.which(tool, path=path)


def _free_port() -> int:
    """A port free on both TCP and UDP of 127.0.0.1 (the KDC listens on both)."""
    for _ in range(50):
        with socket.socket() as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no port free on both TCP and UDP")


@dataclass
class TestRealm:
    """A running KDC for REALM; `env` holds the variables clients need."""

    folder: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def krb5_conf(self) -> Path:
        return self.folder / "krb5.conf"

    @property
    def port_88(self) -> bool:
        """Whether the KDC also answers on PORT_88_ADDRESS:88 (only root may listen there)."""
        return os.geteuid() == 0

    def start(self) -> None:
        self.port = _free_port()
        listen = f"127.0.0.1:{self.port}"
        if self.port_88:
            listen += f", {PORT_88_ADDRESS}:88"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.krb5_conf.write_text(
            "[libdefaults]\n"
            f" default_realm = {REALM}\n"
            " dns_lookup_kdc = false\n"
            " dns_lookup_realm = false\n"
            " rdns = false\n"
            " dns_canonicalize_hostname = false\n"
            " udp_preference_limit = 1\n"
            " permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96\n"
            "[realms]\n"
            f" {REALM} = {{\n  kdc = 127.0.0.1:{self.port}\n }}\n"
        )
        kdc_conf = self.folder / "kdc.conf"
        kdc_conf.write_text(
            "[kdcdefaults]\n"
            f" kdc_listen = {listen}\n"
            f" kdc_tcp_listen = {listen}\n"
            "[realms]\n"
            f" {REALM} = {{\n"
            f"  database_name = {self.folder / 'principal'}\n"
            f"  key_stash_file = {self.folder / 'stash'}\n"
            f"  acl_file = {self.folder / 'kadm5.acl'}\n"
            "  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n"
            " }\n"
            "[logging]\n"
            f" kdc = FILE:{self.folder / 'kdc.log'}\n"
        )
        (self.folder / "kadm5.acl").write_text("")
        self.env = {
            "KRB5_CONFIG": str(self.krb5_conf),
            "KRB5_KDC_PROFILE": str(kdc_conf),
            "KRB5CCNAME": f"FILE:{self.folder / 'ccache'}",
        }
        master = secrets.token_hex(16)
        self._run(["kdb5_util", "create", "-r", REALM, "-s"], f"{master}\n{master}\n")
        self.process = subprocess.Popen(
            [_tool("krb5kdc"), "-n", "-r", REALM],
            env=self._environ(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_listening()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def add_user(self, name: str, password: str) -> str:
        """A user principal with this password; returns name@REALM."""
        self._kadmin(f"addprinc -pw {password} {name}")
        return f"{name}@{REALM}"

    def add_service(self, principal: str, keytab: Path) -> str:
        """A service principal with a random key, exported to `keytab`; returns it."""
        self._kadmin(f"addprinc -randkey {principal}")
        self._kadmin(f"ktadd -k {keytab} {principal}")
        return f"{principal}@{REALM}"

    def kinit(self, name: str, password: str, ccache: Path) -> None:
        """Fill a ticket cache as a user's `kinit` would (the password on stdin)."""
        self._run(["kinit", "-c", f"FILE:{ccache}", name], f"{password}\n")

    def kvno(self, service: str, ccache: Path) -> None:
        """Add `service`'s ticket to a cache holding a TGT, as `kvno` does for an admin
        checking a keytab; the cache then serves clients that cannot ask MIT's KDC
        themselves (impacket 0.13.1's AS and TGS exchanges fail against it)."""
        self._run(["kvno", "-c", f"FILE:{ccache}", service], "")

    def _kadmin(self, command: str) -> None:
        self._run(["kadmin.local", "-r", REALM], command + "\nquit\n")

    def _environ(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def _run(self, argv: list[str], stdin: str) -> None:
        done = subprocess.run(
            [_tool(argv[0]), *argv[1:]],
            input=stdin.encode(),
            env=self._environ(),
            capture_output=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or b"error" in done.stderr.lower():
            raise RuntimeError(
                f"{argv[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}"
            )

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                err = self.process.stderr.read() if self.process.stderr else b""
                raise RuntimeError(f"krb5kdc exited: {err.decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("krb5kdc did not start listening")


def _tool(name: str) -> str:
    path = _which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (Debian krb5-kdc / krb5-admin-server)")
    return path


class Realm:
    """The test session's realm: users of the default catalog and one keytab per host."""

    def __init__(self, running: TestRealm) -> None:
        self.running = running
        self._keytabs: dict[str, Path] = {}

    @property
    def folder(self) -> Path:
        return self.running.folder

    def host_keytab(self, host: str) -> Path:
        """A keytab with host/<host>'s key (`host` a name or a loopback address)."""
        if host not in self._keytabs:
            keytab = self.folder / f"{host}.keytab"
            self.running.add_service(f"host/{host}", keytab)
            self._keytabs[host] = keytab
        return self._keytabs[host]

    def client_env(self, ccache: Path, password: str | None = None) -> dict[str, str]:
        """The environment of a `wua` run against this realm with the ticket cache `ccache`
        (which need not exist) and, if given, WUA_PASSWORD."""
        env = {"KRB5CCNAME": f"FILE:{ccache}", "KRB5_CONFIG": str(self.running.krb5_conf)}
        if password is not None:
            env["WUA_PASSWORD"] = password
        return env

    def ccache(self, user: str, password: str) -> Path:
        """A ticket cache of `user`, as after `kinit`."""
        path = self.folder / f"{user}.ccache"
        self.running.kinit(user, password, path)
        return path

    def service_ticket(self, user: str, password: str, host: str) -> Path:
        """A ticket cache of `user` holding a TGT and the ticket for host/<host>."""
        path = self.folder / f"{user}@{host}.ccache"
        self.running.kinit(user, password, path)
        self.running.kvno(f"host/{host}", path)
        return path
