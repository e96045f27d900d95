"""Scan 100 pending updates for the default scan fields: calls per update and wall time
at 0 ms and 20 ms round trip, beside a naive walk with stock impacket — both through
the latency proxy.

    .venv/bin/python benchmarks/scan.py [--rtt-ms 0 20] [--skip-impacket]
                                        [--impacket-updates N]   (needs root: TCP 135)

wua runs `wua.client.scan.scan_pending`: one Search, then the result's RootCategories,
and each classification category's Updates read into rows (title, UpdateID and
revision, KBs, CVEs, MSRC severity, classification, min/max download size, reboot
behaviour, last deployment change time); every call counts, releases included.

impacket goes through the proxy for real. Stock impacket picks the exporter's string
binding by *name*: it takes the first binding whose address contains its target string
(or, for a name target, the binding's first label), and connects to that binding's
address — so a proxy on an address of its own is never used for the exporter. The way
through: the emulated host's computer name is LOCALHOST (its first string binding is
`LOCALHOST[port]`), impacket is pointed at `localhost`, and the proxy listens on
127.0.0.1 (what `localhost` resolves to) with the host's port numbers; TCP 135 and the
exporter connection then both resolve to the proxy. wua uses the same proxy by address.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from impacket.dcerpc.v5.dcomrt import DCOMConnection
from latency_proxy import LatencyProxy

import wua
from wua.client.scan import ScanRow, scan_pending
from wua.emulator.catalog import Catalog, default_catalog
from wua.emulator.server import EmulatedFleet, HostConfig
from wua.emulator.wua.selection import SearchRequest, select_updates
from wua.reference.coclasses import classifications

UPDATES = 100
CRITERIA = "IsInstalled=0"
HOST = "127.0.60.1"
PROXY, PROXY_NAME = "127.0.0.1", "localhost"  # the name stock impacket is given
ADMIN = ("Administrator", "Passw0rd!")
CLASSIFICATION_NAMES = {c.id: c.name for c in classifications()}


def catalog_with_pending(count: int) -> Catalog:
    """The default catalog, named LOCALHOST, whose search finds exactly `count` updates:
    updates it finds are cloned under new UpdateIDs (which nothing supersedes)."""
    catalog = default_catalog()
    catalog = dataclasses.replace(catalog, host=dataclasses.replace(catalog.host, name="LOCALHOST"))
    found = select_updates(catalog, SearchRequest(CRITERIA))
    extra = []
    for i in range(count - len(found)):
        base = found[i % len(found)]
        ident = dataclasses.replace(
            base.identity, update_id=str(uuid.uuid5(uuid.NAMESPACE_OID, f"clone{i}"))
        )
        extra.append(dataclasses.replace(base, identity=ident, title=f"{base.title} #{i}"))
    catalog = dataclasses.replace(catalog, updates=catalog.updates + tuple(extra))
    if len(select_updates(catalog, SearchRequest(CRITERIA))) != count:
        raise RuntimeError(f"the benchmark catalog does not hold {count} pending updates")
    return catalog


def check_rows(rows: list[ScanRow], catalog: Catalog) -> None:
    """Every row as the catalog has it (classification included): timing wrong answers
    would be pointless."""
    if len(rows) != UPDATES or len({r.update_id for r in rows}) != UPDATES:
        raise RuntimeError(f"scan returned {len(rows)} rows")
    for row in rows:
        record = catalog.update(row.update_id)
        names = [CLASSIFICATION_NAMES[i] for i in record.category_ids if i in CLASSIFICATION_NAMES]
        if (row.title, row.kb_article_ids, row.cve_ids, list(row.classifications)) != (
            record.title,
            record.kb_article_ids,
            record.cve_ids,
            names,
        ):
            raise RuntimeError(f"row {row.update_id} differs from the catalog")


async def wua_scan(address: str, port: int, catalog: Catalog, pool: int) -> tuple[int, float, int]:
    start = time.perf_counter()
    async with wua.aio.connect(f"{address}:{port}", *ADMIN, pool_size=pool) as session:
        rows = await scan_pending(session, CRITERIA)
    seconds = time.perf_counter() - start
    check_rows(rows, catalog)
    return len(rows), seconds, session.calls.total  # after close: releases count too


def impacket_scan(target: str, limit: int) -> tuple[int, float, int]:
    """The naive walk: GetIDsOfNames + Invoke per read, Count + Item per element, the
    classification from each update's categories (CategoryID per category)."""
    from tests.emulator import impacket_client as ic

    calls = 0

    def counted(action: Callable[..., Any], obj: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 2  # GetIDsOfNames + Invoke
        return action(obj, *args)

    def items(collection: Any) -> list[Any]:
        return [
            counted(ic.item, collection, j) for j in range(counted(ic.get, collection, "Count"))
        ]

    start = time.perf_counter()
    dcom = DCOMConnection(target, ADMIN[0], ADMIN[1], "", oxidResolver=False)
    calls += 1  # the activation
    done = 0
    try:
        session = ic.create(dcom)
        searcher = counted(ic.method, session, "CreateUpdateSearcher")
        result = counted(ic.method, searcher, "Search", ic.bstr(CRITERIA))
        updates = counted(ic.get, result, "Updates")
        for i in range(min(counted(ic.get, updates, "Count"), limit)):
            update = counted(ic.item, updates, i)
            counted(ic.get, update, "Title")
            identity = counted(ic.get, update, "Identity")
            counted(ic.get, identity, "UpdateID")
            counted(ic.get, identity, "RevisionNumber")
            items(counted(ic.get, update, "KBArticleIDs"))
            items(counted(ic.get, update, "CveIDs"))
            for category in items(counted(ic.get, update, "Categories")):
                counted(ic.get, category, "CategoryID")
            for name in (
                "MsrcSeverity",
                "MaxDownloadSize",
                "MinDownloadSize",
                "LastDeploymentChangeTime",
            ):
                counted(ic.get, update, name)
            counted(ic.get, counted(ic.get, update, "InstallationBehavior"), "RebootBehavior")
            done += 1
    finally:
        ic.disconnect(dcom, target)
    return done, time.perf_counter() - start, calls


async def in_thread(work: Callable[[], tuple[int, float, int]]) -> tuple[int, float, int]:
    """impacket blocks: run it on a thread while the loop serves the host and proxy."""
    out: list[tuple[int, float, int]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as exc:  # handed to the loop's side below
            failure.append(exc)

    worker = threading.Thread(target=run, name="impacket-walk")
    worker.start()
    while worker.is_alive():
        await asyncio.sleep(0.05)
    if failure:
        raise failure[0]
    return out[0]


async def main(rtts: list[float], with_impacket: bool, impacket_limit: int, pool: int) -> None:
    catalog = catalog_with_pending(UPDATES)
    config = HostConfig(HOST, catalog, resolver_port=135)
    async with EmulatedFleet([config]) as fleet:
        host = fleet.hosts[0]
        ports = [p for p in (host.resolver_port, host.exporter_port) if p is not None]
        print(
            f"host {HOST} ({config.computer_name}) resolver {ports[0]} exporter {ports[1]}; "
            f"proxy {PROXY} ({PROXY_NAME})"
        )
        for rtt in rtts:
            proxy = LatencyProxy(PROXY, HOST, ports, rtt / 2000)
            await proxy.start()
            try:
                n, seconds, calls = await wua_scan(PROXY, ports[0], catalog, pool)
                print(
                    f"wua      rtt {rtt:>4.0f} ms: {n} updates in {seconds:7.2f} s, "
                    f"{calls} calls = {calls / n:.1f} per update"
                )
                if with_impacket:
                    before = proxy.accepted[ports[1]]
                    m, isecs, icalls = await in_thread(
                        lambda: impacket_scan(PROXY_NAME, impacket_limit)
                    )
                    if proxy.accepted[ports[1]] == before:
                        raise RuntimeError("impacket's exporter calls bypassed the proxy")
                    print(
                        f"impacket rtt {rtt:>4.0f} ms: {m} updates in {isecs:7.2f} s, "
                        f"{icalls} calls = {icalls / m:.1f} per update "
                        f"(per update {isecs / m * 1000:.0f} ms vs wua "
                        f"{seconds / n * 1000:.0f} ms)"
                    )
            finally:
                await proxy.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtt-ms", type=float, nargs="+", default=[0.0, 20.0])
    parser.add_argument("--skip-impacket", action="store_true")
    parser.add_argument("--impacket-updates", type=int, default=UPDATES)
    parser.add_argument("--pool", type=int, default=16, help="wua's exporter connections")
    args = parser.parse_args()
    asyncio.run(main(args.rtt_ms, not args.skip_impacket, args.impacket_updates, args.pool))
