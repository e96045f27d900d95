"""GetInfo, Automatic Updates, the service manager and the session's own settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.emulator_wua.helpers import call, get, obj, put
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import Detection, HostBehaviour, HostState, activate
from wua.errors import AccessDenied, WuaError
from wua.reference.coclasses import MICROSOFT_UPDATE_SERVICE
from wua.reference.enums import UpdateServiceRegistrationState

E_INVALIDARG = 0x80070057
WU_E_AU_NOSERVICE = 0x8024A000
WU_E_DS_UNKNOWNSERVICE = 0x80248014
FILE_NOT_FOUND = 0x80070002
UNKNOWN_SERVICE = "12345678-1234-1234-1234-123456789abc"

AGENT = default_catalog().agent

# identifier -> answer (an int is VT_I4, a str VT_BSTR) or an HRESULT in a 1-tuple
GET_INFO: list[tuple[object, object]] = [
    ("ApiMajorVersion", AGENT.api_major_version),
    ("apimajorversion", AGENT.api_major_version),
    ("APIMINORVERSION", AGENT.api_minor_version),
    ("ProductVersionString", AGENT.product_version_string),
    ("productVersionString", AGENT.product_version_string),
    ("ApiMajorVersion ", (E_INVALIDARG,)),
    ("Version", (E_INVALIDARG,)),
    ("", (E_INVALIDARG,)),
    (8, (E_INVALIDARG,)),
    (None, (E_INVALIDARG,)),
]


@pytest.mark.parametrize(("identifier", "answer"), GET_INFO)
def test_get_info(identifier: object, answer: object) -> None:
    info = activate(HostState(default_catalog()), "Microsoft.Update.AgentInfo")
    if isinstance(answer, tuple):
        with pytest.raises(WuaError) as caught:
            call(info, "IWindowsUpdateAgentInfo", "GetInfo", identifier)
        assert caught.value.hresult == answer[0]
        return
    value = call(info, "IWindowsUpdateAgentInfo", "GetInfo", identifier)
    assert value == answer
    assert type(value) is type(answer)


def test_detect_now_is_recorded() -> None:
    times = iter(
        [datetime(2026, 11, 27, 8, 0, tzinfo=UTC), datetime(2026, 11, 27, 9, 0, tzinfo=UTC)]
    )
    state = HostState(default_catalog(), clock=lambda: next(times))
    au = activate(state, "Microsoft.Update.AutoUpdate")
    assert state.last_detection_time() == state.catalog.automatic_updates.last_detection_time
    assert call(au, "IAutomaticUpdates", "DetectNow") is None
    call(au, "IAutomaticUpdates2", "DetectNow")
    assert state.detections == [
        Detection(datetime(2026, 11, 27, 8, 0, tzinfo=UTC)),
        Detection(datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
    ]
    assert state.last_detection_time() == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_detect_now_with_automatic_updates_disabled_is_au_noservice() -> None:
    catalog = default_catalog()
    disabled = replace(catalog, automatic_updates=replace(catalog.automatic_updates, enabled=False))
    state = HostState(disabled)
    with pytest.raises(WuaError) as caught:
        call(activate(state, "Microsoft.Update.AutoUpdate"), "IAutomaticUpdates", "DetectNow")
    assert caught.value.hresult == WU_E_AU_NOSERVICE
    assert state.detections == []


@pytest.mark.parametrize("method", ["Pause", "Resume", "ShowSettingsDialog", "EnableService"])
def test_automatic_updates_control_is_refused_and_changes_nothing(method: str) -> None:
    state = HostState(default_catalog())
    with pytest.raises(AccessDenied):
        call(activate(state, "Microsoft.Update.AutoUpdate"), "IAutomaticUpdates", method)
    assert state.detections == []


def test_results_dates_are_empty_variants_when_never() -> None:
    catalog = default_catalog()
    never = replace(
        catalog,
        automatic_updates=replace(catalog.automatic_updates, last_installation_success_date=None),
    )
    results = obj(
        get(
            activate(HostState(never), "Microsoft.Update.AutoUpdate"),
            "IAutomaticUpdates2",
            "Results",
        )
    )
    assert get(results, "IAutomaticUpdatesResults", "LastInstallationSuccessDate") is None
    assert isinstance(get(results, "IAutomaticUpdatesResults", "LastSearchSuccessDate"), datetime)


# (option, value) -> None when accepted, else the HRESULT
OPTIONS: list[tuple[str, object, int | None]] = [
    ("AllowedServiceID", MICROSOFT_UPDATE_SERVICE, None),
    ("allowedserviceid", MICROSOFT_UPDATE_SERVICE, None),
    ("AllowWarningUI", False, None),
    ("AllowWarningUI", 1, E_INVALIDARG),
    ("AllowedServiceID", True, E_INVALIDARG),
    ("NoSuchOption", "x", E_INVALIDARG),
]


@pytest.mark.parametrize(("option", "value", "hresult"), OPTIONS)
def test_set_option(option: str, value: object, hresult: int | None) -> None:
    manager = activate(HostState(default_catalog()), "Microsoft.Update.ServiceManager")
    if hresult is None:
        assert call(manager, "IUpdateServiceManager", "SetOption", option, value) is None
        return
    with pytest.raises(WuaError) as caught:
        call(manager, "IUpdateServiceManager", "SetOption", option, value)
    assert caught.value.hresult == hresult


# (flags, authorizationCabPath) -> HRESULT: AddService2 never registers anything remotely
ADD_SERVICE2 = [
    (7, "", 0x80070005),
    (1, "", 0x80070005),
    (0, "", 0x80070005),
    (2, r"C:\auth.cab", E_INVALIDARG),
    (0, r"C:\auth.cab", FILE_NOT_FOUND),
]


@pytest.mark.parametrize(("flags", "cab", "hresult"), ADD_SERVICE2)
def test_add_service2(flags: int, cab: str, hresult: int) -> None:
    state = HostState(default_catalog())
    manager = activate(state, "Microsoft.Update.ServiceManager")
    with pytest.raises(WuaError) as caught:
        call(manager, "IUpdateServiceManager2", "AddService2", MICROSOFT_UPDATE_SERVICE, flags, cab)
    assert caught.value.hresult == hresult
    count = get(
        obj(get(manager, "IUpdateServiceManager", "Services")), "IUpdateServiceCollection", "Count"
    )
    assert count == len(state.catalog.services)


def test_registration_of_an_unknown_service() -> None:
    manager = activate(HostState(default_catalog()), "Microsoft.Update.ServiceManager")
    registration = obj(
        call(manager, "IUpdateServiceManager2", "QueryServiceRegistration", UNKNOWN_SERVICE)
    )
    assert (
        get(registration, "IUpdateServiceRegistration", "RegistrationState")
        is UpdateServiceRegistrationState.usrsNotRegistered
    )
    assert get(registration, "IUpdateServiceRegistration", "ServiceID") == UNKNOWN_SERVICE
    with pytest.raises(WuaError) as caught:
        get(registration, "IUpdateServiceRegistration", "Service")
    assert caught.value.hresult == WU_E_DS_UNKNOWNSERVICE
    with pytest.raises(WuaError) as caught:
        call(manager, "IUpdateServiceManager2", "QueryServiceRegistration", "")
    assert caught.value.hresult == E_INVALIDARG


def test_client_application_id_is_per_session_and_inherited() -> None:
    state = HostState(default_catalog())
    first = activate(state, "Microsoft.Update.Session")
    second = activate(state, "Microsoft.Update.Session")
    put(first, "IUpdateSession", "ClientApplicationID", "fleet-scan")
    assert get(first, "IUpdateSession", "ClientApplicationID") == "fleet-scan"
    assert get(second, "IUpdateSession", "ClientApplicationID") == ""
    manager = obj(call(first, "IUpdateSession3", "CreateUpdateServiceManager"))
    assert get(manager, "IUpdateServiceManager2", "ClientApplicationID") == "fleet-scan"
    put(manager, "IUpdateServiceManager2", "ClientApplicationID", "other")
    assert get(first, "IUpdateSession", "ClientApplicationID") == "fleet-scan"
    put(first, "IUpdateSession", "ClientApplicationID", None)  # a NULL BSTR
    assert get(first, "IUpdateSession", "ClientApplicationID") == ""


def test_user_locale_round_trips() -> None:
    session = activate(HostState(default_catalog()), "Microsoft.Update.Session")
    assert get(session, "IUpdateSession2", "UserLocale") == 1033
    put(session, "IUpdateSession2", "UserLocale", 0x0407)
    assert get(session, "IUpdateSession2", "UserLocale") == 0x0407


SETTINGS: list[tuple[str, str, object]] = [
    ("IUpdateSearcher", "CanAutomaticallyUpgradeService", True),
    ("IUpdateSearcher", "IncludePotentiallySupersededUpdates", True),
    ("IUpdateSearcher", "Online", False),
    ("IUpdateSearcher", "ClientApplicationID", "x"),
    ("IUpdateSearcher", "ServerSelection", 2),
    ("IUpdateSearcher", "ServiceID", MICROSOFT_UPDATE_SERVICE),
    ("IUpdateSearcher2", "IgnoreDownloadPriority", True),
    ("IUpdateSearcher3", "SearchScope", 5),
]


@pytest.mark.parametrize(("iface", "name", "value"), SETTINGS)
def test_searcher_settings_round_trip(iface: str, name: str, value: object) -> None:
    session = activate(HostState(default_catalog()), "Microsoft.Update.Session")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    before = get(searcher, iface, name)
    assert before != value
    put(searcher, iface, name, value)
    assert get(searcher, iface, name) == value


# (behaviour, interface, member, online) -> seconds the server holds the call
DELAYS = [
    (HostBehaviour(), "IUpdateSearcher", "Search", True, 0.0),
    (HostBehaviour(search_seconds=90.0), "IUpdateSearcher3", "Search", True, 90.0),
    (HostBehaviour(search_seconds=90.0), "IUpdateSearcher", "Search", False, 0.0),
    (
        HostBehaviour(search_seconds=90.0, call_latency_seconds=0.25),
        "IUpdateSearcher",
        "search",
        True,
        90.25,
    ),
    (HostBehaviour(search_seconds=90.0, call_latency_seconds=0.25), "IUpdate", "Title", True, 0.25),
    (HostBehaviour(search_seconds=90.0), "IUpdateSearcher", "QueryHistory", True, 0.0),
]


@pytest.mark.parametrize(("behaviour", "iface", "member", "online", "seconds"), DELAYS)
def test_delays_are_data_for_the_server(
    behaviour: HostBehaviour, iface: str, member: str, online: bool, seconds: float
) -> None:
    assert behaviour.seconds_for(iface, member, online=online) == seconds


def test_a_search_result_hands_out_the_same_collections() -> None:
    session = activate(HostState(default_catalog()), "Microsoft.Update.Session")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    result = obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0"))
    assert get(result, "ISearchResult", "Updates") is get(result, "ISearchResult", "Updates")
    assert get(result, "ISearchResult", "Warnings") is get(result, "ISearchResult", "Warnings")


def test_category_type_is_a_plain_string() -> None:
    session = activate(HostState(default_catalog()), "Microsoft.Update.Session")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    result = obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=1"))
    roots = obj(get(result, "ISearchResult", "RootCategories"))
    kinds = {
        get(obj(get(roots, "ICategoryCollection", "Item", i)), "ICategory", "Type")
        for i in range(int(str(get(roots, "ICategoryCollection", "Count"))))
    }
    assert kinds == {"Company", "UpdateClassification"}
    assert all(type(k) is str for k in kinds)
