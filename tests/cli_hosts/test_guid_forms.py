"""One GUID rule at every entry point: `wire_types.canonical_guid` decides, and the
criteria parser, the catalog loader, the emulated `IUpdateSearcher.ServiceID` (in process
and over DCOM from the real client) and `wua scan` accept and refuse the same texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import wua
from tests.catalog.documents import minimal_document
from tests.cli.conftest import Run
from tests.cli_hosts.helpers import ADMIN, emulated, host_config, port_of
from tests.cli_hosts.helpers import wua as wua_command
from tests.emulator_wua.helpers import call, get, obj, put
from wua.cli.scan_options import ScanRequest, ScanUsageError, category_id
from wua.criteria import parse
from wua.emulator.catalog import default_catalog, parse_catalog
from wua.emulator.server import FleetThread
from wua.emulator.wua import EmulatedObject, HostState, activate
from wua.errors import CatalogError, InvalidCriteria, WuaError
from wua.reference.coclasses import MICROSOFT_UPDATE_SERVICE
from wua.reference.hresults import E_INVALIDARG
from wua.reference.wire_types import canonical_guid

HOST = "127.0.87.1"
GUID = MICROSOFT_UPDATE_SERVICE  # lower case, as WUA reports it; the host knows it

# (text, what every entry point makes of it: the canonical GUID, or None for "refused")
FORMS: list[tuple[str, str | None]] = [
    (GUID, GUID),
    (GUID.upper(), GUID),
    (GUID[:9].upper() + GUID[9:], GUID),
    ("{" + GUID + "}", None),  # braces: uuid.UUID takes them, WUA does not
    ("{" + GUID.upper() + "}", None),
    ("urn:uuid:" + GUID, None),
    (GUID.replace("-", ""), None),  # 32 bare hex digits
    (GUID[:-1], None),
    (GUID + "0", None),
    (GUID[:-1] + "g", None),
    (" " + GUID, None),
    (GUID + "\n", None),
    (GUID.replace("-", ":"), None),
    ("", None),
]
IDS = [repr(text) for text, _ in FORMS]


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
def test_canonical_guid(text: str, canonical: str | None) -> None:
    assert canonical_guid(text) == canonical


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
@pytest.mark.parametrize("template", ["UpdateID = '{}'", "CategoryIDs contains '{}'"])
def test_criteria_parser(template: str, text: str, canonical: str | None) -> None:
    criteria = template.format(text)
    if canonical is None:
        with pytest.raises(InvalidCriteria, match="is not a GUID"):
            parse(criteria)
    else:
        assert len(parse(criteria).groups) == 1


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
def test_catalog_loader(text: str, canonical: str | None) -> None:
    document = minimal_document()
    document["services"][1]["service_id"] = text
    if canonical is None:
        with pytest.raises(CatalogError, match="not a GUID"):
            parse_catalog(document)
    else:
        assert parse_catalog(document).services[1].service_id == canonical


def _searcher() -> EmulatedObject:
    session = activate(HostState(default_catalog()), "Microsoft.Update.Session")
    return obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
def test_emulated_service_id(text: str, canonical: str | None) -> None:
    searcher = _searcher()
    if canonical is None:
        with pytest.raises(WuaError) as refused:
            put(searcher, "IUpdateSearcher", "ServiceID", text)
        assert refused.value.hresult == E_INVALIDARG
    else:
        put(searcher, "IUpdateSearcher", "ServiceID", text)
        assert get(searcher, "IUpdateSearcher", "ServiceID") == canonical


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
def test_cli_service_id_and_category(text: str, canonical: str | None) -> None:
    if canonical is None:
        with pytest.raises(ScanUsageError, match="not a GUID"):
            ScanRequest(service_id=text).settings()
        with pytest.raises(ScanUsageError, match="nor a category GUID"):
            category_id(text)
    else:
        assert ScanRequest(service_id=text).settings().service_id == canonical
        assert category_id(text) == canonical


@pytest.fixture(scope="module")
def fleet() -> Iterator[FleetThread]:
    with emulated(host_config(HOST)) as running:
        yield running


@pytest.fixture(scope="module")
def remote_searcher(fleet: FleetThread) -> Iterator[Any]:
    with wua.connect(f"{HOST}:{port_of(fleet, HOST)}", *ADMIN) as host:
        yield host.update_session.create_update_searcher()


@pytest.mark.parametrize(("text", "canonical"), FORMS, ids=IDS)
def test_service_id_over_dcom(remote_searcher: Any, text: str, canonical: str | None) -> None:
    """The real client puts the text as given: the host's answer is the rule's."""
    if canonical is None:
        with pytest.raises(WuaError) as refused:
            remote_searcher.service_id = text
        assert refused.value.hresult == E_INVALIDARG
    else:
        remote_searcher.service_id = text
        assert remote_searcher.service_id == canonical


def test_scan_refuses_braces_before_contacting_the_host(run: Run, fleet: FleetThread) -> None:
    searches = len(fleet.fleet.host(HOST).state.searches)
    result = wua_command(
        run, "scan", HOST, port_of(fleet, HOST), ADMIN, "--service-id", "{" + GUID + "}"
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert f"--service-id '{{{GUID}}}' is not a GUID" in result.stderr
    assert "without braces" in result.stderr
    assert len(fleet.fleet.host(HOST).state.searches) == searches


def test_scan_sends_the_canonical_form(run: Run, fleet: FleetThread) -> None:
    result = wua_command(
        run, "scan", HOST, port_of(fleet, HOST), ADMIN, "--service-id", GUID.upper()
    )
    assert result.exit_code == 0, result.stderr
    assert fleet.fleet.host(HOST).state.searches[-1].service_id == GUID
