"""What Kerberos costs beside NTLM, against a real MIT KDC on loopback.

1. Per-PDU CPU of the client side of one sealed Invoke round (protect a 200-byte stub,
   unprotect a 300-byte one), as `ntlm_seal.py` measures it for NTLM: Kerberos goes
   through MIT's gss_wrap_iov/gss_unwrap_iov (AES256, DCE style) via pyspnego.
2. Handshakes: client+acceptor contexts per second, with tickets from a ccache (after
   the first, no KDC round trip) and with a password (AS + TGS exchanges each time).
3. A scan of 100 pending updates (scan.py's catalog and checks) through one session,
   NTLM vs Kerberos with a password vs Kerberos from the ticket cache; wall time and
   the KDC requests it made.

Needs the Debian packages scripts/test installs (krb5-kdc, krb5-admin-server,
krb5-user) and `pip install -e '.[test]'`.

Run: .venv/bin/python benchmarks/kerberos.py [rounds]
"""

from __future__ import annotations

import asyncio
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan import ADMIN, CRITERIA, catalog_with_pending, check_rows
from tests.support.kdc import REALM, Realm, TestRealm

import wua
from wua.client.scan import scan_pending
from wua.emulator.server import EmulatedFleet, HostConfig
from wua.rpc.security.base import AuthLevel, AuthType
from wua.rpc.security.credentials import KerberosCredentials
from wua.rpc.security.kerberos_acceptor import KerberosAcceptor, KerberosKeytab
from wua.rpc.security.spnego_client import kerberos_client

HOST = "127.0.61.9"
_HEADER = struct.Struct("<BBBBIHHIIHH")
_TRAILER = struct.Struct("<BBBBI")


def pdu(ptype: int, stub_size: int, call_id: int, auth_size: int) -> tuple[bytes, int, int]:
    pad = -stub_size % 16
    stub = (bytes(range(256)) * 2)[:stub_size] + b"\x00" * pad
    frag = _HEADER.size + len(stub) + _TRAILER.size + auth_size
    head = _HEADER.pack(5, 0, ptype, 3, 0x10, frag, auth_size, call_id, stub_size, 0, 6)
    trailer = _TRAILER.pack(AuthType.GSS_KERBEROS, AuthLevel.PKT_PRIVACY, pad, 0, 0)
    return head + stub + trailer, _HEADER.size, _HEADER.size + len(stub)


def seal_rounds(rounds: int, keytab: KerberosKeytab) -> float:
    client = kerberos_client(KerberosCredentials(), AuthLevel.PKT_PRIVACY, target_host=HOST)
    server = KerberosAcceptor(keytab, AuthLevel.PKT_PRIVACY)
    third = client.step(server.step(client.step(None)))
    server.step(third)
    size = client.signature_size
    request = pdu(0, 200, 1, size)
    plain_response, start, end = pdu(2, 300, 1, size)
    responses = [server.protect(plain_response, start, end) for _ in range(rounds)]
    began = time.process_time()
    for sealed, signature in responses:
        client.protect(*request)
        client.unprotect(sealed, start, end, signature)
    return (time.process_time() - began) / rounds


def handshakes(count: int, credentials: KerberosCredentials, keytab: KerberosKeytab) -> float:
    began = time.perf_counter()
    for _ in range(count):
        client = kerberos_client(credentials, AuthLevel.PKT_PRIVACY, target_host=HOST)
        server = KerberosAcceptor(keytab, AuthLevel.PKT_PRIVACY)
        server.step(client.step(server.step(client.step(None))))
    return (time.perf_counter() - began) / count


async def scan_seconds(target: str, catalog: object, **options: object) -> float:
    began = time.perf_counter()
    async with wua.aio.connect(target, **options) as session:
        rows = await scan_pending(session, CRITERIA)
    seconds = time.perf_counter() - began
    check_rows(rows, catalog)  # type: ignore[arg-type]
    return seconds


def kdc_requests(realm: TestRealm) -> tuple[int, int]:
    log = (realm.folder / "kdc.log").read_text()
    return log.count("AS_REQ"), log.count("TGS_REQ")


async def scans(realm: TestRealm, keytab: Path) -> None:
    catalog = catalog_with_pending(100)
    config = HostConfig(HOST, catalog, resolver_port=0, keytab=keytab)
    async with EmulatedFleet([config]) as fleet:
        target = f"{HOST}:{fleet.hosts[0].resolver_port}"
        ways: dict[str, dict[str, object]] = {
            "NTLM": {"username": ADMIN[0], "password": ADMIN[1]},
            "Kerberos, password": {
                "username": ADMIN[0],
                "password": ADMIN[1],
                "domain": REALM,
                "kerberos": True,
            },
            "Kerberos, ticket cache": {"kerberos": True},
        }
        for name, options in ways.items():
            before = kdc_requests(realm)
            times = [await scan_seconds(target, catalog, **options) for _ in range(3)]
            after = kdc_requests(realm)
            print(
                f"scan of 100 pending updates, {name}: best {min(times):.3f} s of 3 "
                f"(KDC: {(after[0] - before[0]) // 3} AS + {(after[1] - before[1]) // 3} TGS "
                "requests per scan)"
            )


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        running = TestRealm(Path(folder))
        running.start()
        try:
            os.environ["KRB5_CONFIG"] = running.env["KRB5_CONFIG"]
            running.add_user(*ADMIN)
            realm = Realm(running)
            keytab_path = realm.host_keytab(HOST)
            cache = realm.ccache(*ADMIN)
            os.environ["KRB5CCNAME"] = f"FILE:{cache}"
            keytab = KerberosKeytab(keytab_path)
            per_round = seal_rounds(rounds, keytab)
            print(
                f"{rounds} rounds: {per_round * 1e6:.1f} µs CPU per round (protect 200-byte "
                "stub + unprotect 300-byte stub, PKT_PRIVACY, Kerberos AES256 DCE style)"
            )
            cached = handshakes(200, KerberosCredentials(), keytab)
            password = handshakes(50, KerberosCredentials(ADMIN[0], REALM, ADMIN[1]), keytab)
            print(
                f"handshake (client + acceptor, 3 legs): {cached * 1e3:.2f} ms with the "
                f"ticket cache, {password * 1e3:.2f} ms with a password (AS + TGS each time)"
            )
            asyncio.run(scans(running, keytab_path))
        finally:
            running.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
