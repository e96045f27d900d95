"""Scan 100 pending updates for the default scan fields; calls per update and wall time
at 0 ms and 20 ms round trip, beside a naive walk with stock impacket.

    .venv/bin/python benchmarks/scan.py [--rtt-ms 0 20] [--skip-impacket]

Fields: title, identity (UpdateID, revision), KB article IDs, CVE IDs, MSRC severity,
classification (category IDs matched against the reference's classifications), max and
min download size, reboot behaviour, last deployment change time.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from latency_proxy import LatencyProxy

import wua
from wua.emulator.catalog import Catalog, default_catalog
from wua.emulator.server import EmulatedFleet, HostConfig
from wua.reference.coclasses import classifications
from wua.reference.enums import UpdateType

UPDATES = 100
HOST, PROXY = "127.0.60.1", "127.0.61.1"
ADMIN = ("Administrator", "Passw0rd!")
CLASSIFICATION_IDS = {c.id.lower(): c.name for c in classifications()}


def catalog_with_pending(count: int) -> Catalog:
    """The default catalog with its pending updates cloned (new IDs) up to `count`."""
    catalog = default_catalog()
    pending = [u for u in catalog.searchable_updates if not u.is_installed]
    extra = []
    for i in range(count * 13 // 10 - len(pending)):  # some clones are hidden or superseded
        base = pending[i % len(pending)]
        ident = dataclasses.replace(base.identity, update_id=str(uuid.uuid5(uuid.NAMESPACE_OID,
                                                                            f"clone{i}")))
        extra.append(dataclasses.replace(base, identity=ident, title=f"{base.title} #{i}"))
    return dataclasses.replace(catalog, updates=catalog.updates + tuple(extra))


async def read_update(update: Any, classification: str | None) -> dict[str, Any]:
    """The default scan fields of one update, read concurrently; the classification comes
    from the search that found it, or (drivers) from its categories."""
    async def identity() -> tuple[str, int]:
        ident = await update.identity
        return await asyncio.gather(ident.update_id, ident.revision_number)

    async def classified() -> list[str]:
        if classification is not None:
            return [classification]
        ids = await asyncio.gather(*(c.category_id for c in await update.categories))
        return [CLASSIFICATION_IDS[i.lower()] for i in ids if i.lower() in CLASSIFICATION_IDS]

    async def reboot() -> Any:
        return await (await update.installation_behavior).reboot_behavior

    names = ("title", "identity", "kb", "cve", "severity", "classification", "max_size",
             "min_size", "reboot", "deployed")
    values = await asyncio.gather(
        update.title, identity(), update.kb_article_ids, update.cve_ids, update.msrc_severity,
        classified(), update.max_download_size, update.min_download_size, reboot(),
        update.last_deployment_change_time)
    return dict(zip(names, values, strict=True))


async def pending_by_classification(searcher: Any) -> list[tuple[Any, str | None]]:
    """Pending updates with their classification, from one search per classification
    (software) plus one for drivers: a search costs ~3 calls, reading two categories per
    update 6. The total of a plain search proves no update was missed."""
    async def software(category_id: str, name: str) -> list[tuple[Any, str | None]]:
        criteria = f"IsInstalled=0 and Type='Software' and CategoryIDs contains '{category_id}'"
        found = await (await searcher.search(criteria)).updates
        return [(u.assume_type(UpdateType.utSoftware), name) for u in found]

    async def drivers() -> list[tuple[Any, str | None]]:
        found = await (await searcher.search("IsInstalled=0 and Type='Driver'")).updates
        return [(u.assume_type(UpdateType.utDriver), None) for u in found]

    async def total() -> int:
        result = await searcher.search("IsInstalled=0")
        return int(await (await result.collection("updates")).count)

    groups = await asyncio.gather(drivers(), *(software(i, n)
                                               for i, n in CLASSIFICATION_IDS.items()))
    found = [pair for group in groups for pair in group]
    expected = await total()
    if len(found) != expected:
        raise RuntimeError(f"classification searches found {len(found)} of {expected}")
    return found


async def wua_scan(address: str, port: int) -> tuple[int, float, int]:
    start = time.perf_counter()
    async with wua.aio.connect(f"{address}:{port}", *ADMIN, pool_size=16) as session:
        searcher = await session.update_session.create_update_searcher()
        pairs = (await pending_by_classification(searcher))[:UPDATES]
        rows = await asyncio.gather(*(read_update(u, name) for u, name in pairs))
    calls_total = session.calls.total  # after close: the RemRelease calls count too
    assert all(r["title"] and r["classification"] for r in rows)
    return len(rows), time.perf_counter() - start, calls_total


def impacket_scan(address: str, port: int, limit: int) -> tuple[int, float, int]:
    """The naive walk: GetIDsOfNames + Invoke per read, Count + Item per element."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from impacket.dcerpc.v5 import epm
    from tests.emulator import impacket_client as ic

    start = time.perf_counter()
    dcom = ic.DCOMConnection(address, ADMIN[0], ADMIN[1], "", oxidResolver=False)
    counter = {"calls": 0}
    original = epm.hept_map if hasattr(epm, "hept_map") else None
    _ = original
    try:
        session = ic.create(dcom)
        def get(obj: Any, name: str) -> Any:
            counter["calls"] += 2  # GetIDsOfNames + Invoke
            return ic.get(obj, name)
        def call(obj: Any, name: str, *args: Any) -> Any:
            counter["calls"] += 2
            return ic.call(obj, name, *args, flags=ic.DISPATCH_METHOD)
        def obj_of(parent: Any, answer: Any) -> Any:
            return ic.value_of(parent, answer)
        searcher = obj_of(session, call(session, "CreateUpdateSearcher"))
        result = obj_of(searcher, call(searcher, "Search", ic.bstr("IsInstalled=0")))
        updates = get(result, "Updates")
        count = get(updates, "Count")
        done = 0
        for i in range(min(count, limit)):
            counter["calls"] += 2
            update = ic.value_of(updates, ic.call(updates, "Item", ic.long(i)))
            get(update, "Title")
            ident = get(update, "Identity")
            get(ident, "UpdateID")
            get(ident, "RevisionNumber")
            for coll_name in ("KBArticleIDs", "CveIDs", "Categories"):
                coll = get(update, coll_name)
                for j in range(get(coll, "Count")):
                    counter["calls"] += 2
                    item = ic.value_of(coll, ic.call(coll, "Item", ic.long(j)))
                    if coll_name == "Categories":
                        get(item, "CategoryID")
            get(update, "MsrcSeverity")
            get(update, "MaxDownloadSize")
            get(update, "MinDownloadSize")
            get(get(update, "InstallationBehavior"), "RebootBehavior")
            get(update, "LastDeploymentChangeTime")
            done += 1
    finally:
        dcom.disconnect()
    return done, time.perf_counter() - start, counter["calls"]


async def main(rtts: list[float], with_impacket: bool, impacket_limit: int) -> None:
    # TCP 135 itself (needs root): stock impacket cannot be told another port
    config = HostConfig(HOST, catalog_with_pending(UPDATES), resolver_port=135)
    async with EmulatedFleet([config]) as fleet:
        host = fleet.hosts[0]
        ports = [host.resolver_port, host.exporter_port]
        assert all(p is not None for p in ports)
        print(f"host {HOST} resolver {ports[0]} exporter {ports[1]}")
        for rtt in rtts:
            proxy = LatencyProxy(PROXY, HOST, [p for p in ports if p], rtt / 2000)
            await proxy.start()
            try:
                n, seconds, calls = await wua_scan(PROXY, ports[0])
                print(f"wua      rtt {rtt:>4.0f} ms: {n} updates in {seconds:6.2f} s, "
                      f"{calls} calls = {calls / n:.1f} per update")
                if with_impacket:
                    # impacket picks the exporter binding by *name*, so it cannot go through
                    # the proxy (whose address the host does not announce): it runs direct,
                    # and as it keeps one call in flight its time at this RTT is its 0 ms
                    # time plus one RTT per call (a lower bound: handshakes not counted).
                    result: list[tuple[int, float, int]] = []
                    worker = threading.Thread(target=lambda out=result: out.append(
                        impacket_scan(HOST, ports[0], impacket_limit)))
                    worker.start()
                    while worker.is_alive():
                        await asyncio.sleep(0.05)
                    m, secs, icalls = result[0]
                    per_update = (secs + icalls * rtt / 1000) / m
                    print(f"impacket rtt {rtt:>4.0f} ms: {m} updates in {secs:6.2f} s direct, "
                          f"{icalls / m:.1f} calls per update; for {n} updates at this RTT "
                          f">= {per_update * n:6.2f} s -> wua is {per_update * n / seconds:.1f}x "
                          "faster")
            finally:
                await proxy.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtt-ms", type=float, nargs="+", default=[0.0, 20.0])
    parser.add_argument("--skip-impacket", action="store_true")
    parser.add_argument("--impacket-updates", type=int, default=UPDATES)
    args = parser.parse_args()
    asyncio.run(main(args.rtt_ms, not args.skip_impacket, args.impacket_updates))
