"""How much the emulator costs: sealed IDispatch::Invoke calls per CPU second of the
emulator process, and memory per emulated host.

    .venv/bin/python benchmarks/emulator.py [--seconds 10] [--clients 4] [--hosts 200]

Calls: the emulator runs as `wua emulate` in its own process (TCP 135: run as root);
several client processes, each a stock impacket client at PKT_PRIVACY (every stub
sealed and signed both ways), call IUpdateSession.ReadOnly in a loop. The emulator's
CPU time over the window (utime + stime from /proc) divided into the calls answered
gives calls per second per core, independent of how fast the (slower, pure-Python)
clients are. Memory: RSS of this process before generating N host catalogs and after
serving them all, over N.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ADDRESS = "127.0.6.1"
TICKS = os.sysconf("SC_CLK_TCK")
ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def client(seconds: float, start: float, counts: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    sys.path.insert(0, str(ROOT))
    from tests.emulator import impacket_client as ic

    dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
    session = ic.create(dcom)
    dispid = session.GetIDsOfNames(("ReadOnly",))[0]
    params = ic.params()
    while time.time() < start:
        time.sleep(0.001)
    calls = 0
    while time.time() < start + seconds:
        session.Invoke(dispid, ic.LCID, ic.DISPATCH_PROPERTYGET, params, 0, [], [])
        calls += 1
    counts.put(calls)
    ic.disconnect(dcom, ADDRESS)


def invoke_rate(seconds: float, clients: int) -> tuple[int, float, float]:
    wua = Path(sys.executable).with_name("wua")
    server = subprocess.Popen(
        [str(wua), "emulate", "--listen", ADDRESS],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()  # the summary line: listening
        counts: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        start = time.time() + 2.0  # every client connected and activated by then
        workers = [
            multiprocessing.Process(target=client, args=(seconds, start, counts))
            for _ in range(clients)
        ]
        for worker in workers:
            worker.start()
        time.sleep(max(0.0, start - time.time()))
        cpu_before = cpu_seconds(server.pid)
        calls = sum(counts.get() for _ in workers)
        cpu = cpu_seconds(server.pid) - cpu_before
        for worker in workers:
            worker.join()
    finally:
        server.terminate()
        server.wait()
    return calls, cpu, seconds


def memory_per_host(hosts: int) -> tuple[float, float]:
    from wua.emulator.catalog import generate_hosts
    from wua.emulator.server import FleetThread, HostConfig, addresses_from

    before = rss_mb()
    catalogs = generate_hosts(hosts, seed=1)
    with_catalogs = rss_mb()
    configs = [
        HostConfig(a, c, resolver_port=0)
        for a, c in zip(addresses_from("127.2.0.1", hosts), catalogs, strict=True)
    ]
    with FleetThread(configs):
        serving = rss_mb()
    return (serving - before) / hosts, (serving - with_catalogs) / hosts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--hosts", type=int, default=200)
    args = parser.parse_args()
    calls, cpu, seconds = invoke_rate(args.seconds, args.clients)
    print(
        f"sealed Invoke calls: {calls} in {seconds:.0f} s by {args.clients} clients; "
        f"emulator CPU {cpu:.2f} s -> {calls / cpu:,.0f} calls/s per core "
        f"(wall clock {calls / seconds:,.0f} calls/s, client-bound)"
    )
    total, server_only = memory_per_host(args.hosts)
    print(
        f"memory per idle host ({args.hosts} hosts): {total:.2f} MB with its catalog, "
        f"{server_only:.3f} MB for listeners and state"
    )


if __name__ == "__main__":
    main()
