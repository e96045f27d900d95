"""Done-when #1: a stock impacket client walks the default catalog at PKT_PRIVACY on TCP
135, exactly as impacket's dcomexec drives IDispatch, and every value it reads equals
what the WUA model answers in-process for the same catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.emulator import impacket_client as ic
from wua.emulator.catalog import default_catalog
from wua.emulator.server import FleetThread, HostConfig
from wua.emulator.wua import HostState, activate, invoke
from wua.reference.hresults import DISP_E_EXCEPTION, E_ACCESSDENIED
from wua.reference.interfaces import MemberKind

ADDRESS = "127.0.0.5"
OLE_EPOCH = dt.datetime(1899, 12, 30)


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    with FleetThread([HostConfig(ADDRESS, default_catalog())]):
        dcom = ic.connect(ADDRESS, "Administrator", "Passw0rd!")
        try:
            yield ic.create(dcom)
        finally:
            ic.disconnect(dcom, ADDRESS)


def expected_updates() -> list[Any]:
    """The same search through the model in-process: the catalog records it returns."""
    state = HostState(default_catalog())
    session = activate(state, "Microsoft.Update.Session")
    searcher = invoke(session, "IUpdateSession", "CreateUpdateSearcher", MemberKind.METHOD)
    result = invoke(searcher, "IUpdateSearcher", "Search", MemberKind.METHOD, ["IsInstalled=0"])
    updates = invoke(result, "ISearchResult", "Updates", MemberKind.PROPGET)
    count = invoke(updates, "IUpdateCollection", "Count", MemberKind.PROPGET)
    return [
        invoke(updates, "IUpdateCollection", "Item", MemberKind.PROPGET, [i]).source
        for i in range(count)
    ]  # type: ignore[call-overload, union-attr]


def ole_date(days: float) -> dt.datetime:
    return OLE_EPOCH + dt.timedelta(days=days)


def test_search_walk_matches_the_catalog(session: Any) -> None:
    walked = ic.walk_updates(session)
    expected = expected_updates()
    assert len(walked) == len(expected) > 10  # superseded updates are not offered
    for seen, record in zip(walked, expected, strict=True):
        assert seen["Title"] == record.title
        assert seen["UpdateID"] == record.identity.update_id
        assert seen["RevisionNumber"] == record.identity.revision_number
        assert seen["KBArticleIDs"] == list(record.kb_article_ids)
        assert seen["MsrcSeverity"] == (record.msrc_severity or "")
        magnitude, scale, sign = seen["MaxDownloadSize"]
        assert (sign, Decimal(magnitude).scaleb(-scale)) == (0, Decimal(record.max_download_size))
        when = ole_date(seen["LastDeploymentChangeTime"])
        assert when == record.last_deployment_change_time.replace(tzinfo=None)
        assert seen["Categories"] == list(record.categories)


def test_search_result_code(session: Any) -> None:
    result = ic.method(
        ic.method(session, "CreateUpdateSearcher"), "Search", ic.bstr("IsInstalled=0")
    )
    assert ic.get(result, "ResultCode") == 2  # orcSucceeded


def test_query_history_pages(session: Any) -> None:
    searcher = ic.value_of(
        session, ic.call(session, "CreateUpdateSearcher", flags=ic.DISPATCH_METHOD)
    )
    total = ic.value_of(
        searcher, ic.call(searcher, "GetTotalHistoryCount", flags=ic.DISPATCH_METHOD)
    )
    catalog = default_catalog()
    assert total == len(catalog.history) > 10
    page = ic.value_of(
        searcher,
        ic.call(searcher, "QueryHistory", ic.long(5), ic.long(10), flags=ic.DISPATCH_METHOD),
    )
    assert ic.get(page, "Count") == 10
    entry = ic.value_of(page, ic.call(page, "Item", ic.long(0)))
    titles = {h.title for h in catalog.history}
    assert ic.get(entry, "Title") in titles
    assert isinstance(ic.get(entry, "HResult"), int)


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        ("CreateUpdateInstaller", ic.DISPATCH_METHOD),
        ("CreateUpdateDownloader", ic.DISPATCH_METHOD),
        ("WebProxy", ic.DISPATCH_PROPERTYGET),
    ],
)
def test_restricted_members_are_denied_inside_disp_e_exception(
    session: Any, name: str, flags: int
) -> None:
    answer = ic.raw_invoke(session, name, flags=flags)
    assert (answer.hresult, answer.scode) == (DISP_E_EXCEPTION, E_ACCESSDENIED)


def test_allowed_member_answers_s_ok_raw(session: Any) -> None:
    """The raw reader itself: a plain getter is S_OK with scode 0 (the check can fail)."""
    answer = ic.raw_invoke(session, "ReadOnly")
    assert (answer.hresult, answer.scode) == (0, 0)


def test_agent_info_and_detect_now() -> None:
    """The other creatable classes: GetInfo answers from the catalog, and DetectNow is
    recorded in the host's state."""
    address = "127.0.0.8"
    catalog = default_catalog()
    with FleetThread([HostConfig(address, catalog)]) as running:
        for clsid, check in (
            (
                "c2e88c2f-6f5b-4aaa-894b-55c847ad3a2d",
                lambda obj: (
                    ic.method(obj, "GetInfo", ic.bstr("ProductVersionString"))
                    == catalog.agent.product_version_string
                ),
            ),
            (
                "bfe18e9c-6d87-4450-b37c-e02f0b373803",
                lambda obj: ic.method(obj, "DetectNow") is None,
            ),
        ):
            dcom = ic.connect(address, "Administrator", "Passw0rd!")
            try:
                assert check(ic.create(dcom, clsid))
            finally:
                ic.disconnect(dcom, address)
        assert len(running.hosts[0].state.detections) == 1
