"""One emulated host's mutable state, and the knobs that make it misbehave.

A `HostState` belongs to one emulated host (there is no process-wide state: a fleet is
many of these). It holds the catalog, which remote calls cannot change (a remote
caller cannot hide, install or download anything), and the little that remote calls do
change: Automatic Updates detections and the log of searches.

`HostBehaviour` is data, not behaviour: delays are numbers the async server applies
around a call (the model never sleeps), faults are HRESULTs the model raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wua.emulator.catalog import Catalog
from wua.reference.enums import ServerSelection, UpdateExceptionContext


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SearchWarning:
    """An IUpdateException a search reports beside its result (ResultCode becomes
    orcSucceededWithErrors)."""

    message: str
    hresult: int
    context: UpdateExceptionContext = UpdateExceptionContext.uecGeneral


@dataclass(frozen=True)
class HostBehaviour:
    """How the emulated host behaves beyond its catalog.

    - `search_seconds`: how long an online Search takes (the server waits, then answers);
    - `call_latency_seconds`: added to every call;
    - `search_error`: the HRESULT an *online* Search fails with, e.g. 0x8024401C
      (WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT) when the update server is unreachable; an
      offline search (IUpdateSearcher.Online = False) reads the cached datastore and
      never sees it;
    - `search_warnings`: IUpdateExceptions every search result carries;
    - `update_service_disabled`: the wuauserv service is disabled, so every Search, online
      or offline, fails with HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED) (0x80070422);
    - `deny_remote_search`: newer builds (Server 2025, Windows 11 after KB5065789) answer
      CreateUpdateSearcher with E_ACCESSDENIED to remote callers;
    - `user_locale`: IUpdateSession2.UserLocale a new session starts with (an LCID);
    - `uac_remote_restrictions`: LocalAccountTokenFilterPolicy = 0 (Windows' default), under
      which a network logon of a local administrator other than the built-in one gets a
      filtered token and is refused like a non-administrator.
    """

    search_seconds: float = 0.0
    call_latency_seconds: float = 0.0
    search_error: int | None = None
    search_warnings: tuple[SearchWarning, ...] = ()
    update_service_disabled: bool = False
    deny_remote_search: bool = False
    user_locale: int = 1033
    uac_remote_restrictions: bool = True

    def seconds_for(self, interface: str, member: str, *, online: bool = True) -> float:
        """How long the server holds a call before answering: the latency, plus the
        search time for an online IUpdateSearcher::Search (an offline search reads the
        local datastore)."""
        is_search = interface.startswith("IUpdateSearcher") and member.lower() == "search"
        return self.call_latency_seconds + (self.search_seconds if is_search and online else 0.0)


@dataclass(frozen=True)
class Detection:
    """One IAutomaticUpdates::DetectNow a remote caller asked for."""

    time: datetime


@dataclass(frozen=True)
class SearchRecord:
    """One Search the host ran: what was asked, of which service, and how many it found."""

    time: datetime
    criteria: str
    server_selection: ServerSelection
    service_id: str
    online: bool
    client_application_id: str
    found: int
    hresult: int = 0


@dataclass
class HostState:
    """The state of one emulated host; every emulated object of the host refers to it."""

    catalog: Catalog
    behaviour: HostBehaviour = HostBehaviour()
    clock: Callable[[], datetime] = utc_now
    detections: list[Detection] = field(default_factory=list)
    searches: list[SearchRecord] = field(default_factory=list)

    def record_detection(self) -> Detection:
        detection = Detection(self.clock())
        self.detections.append(detection)
        return detection

    def record_search(self, record: SearchRecord) -> None:
        self.searches.append(record)

    def last_detection_time(self) -> datetime | None:
        """The latest detection: one a remote caller asked for, else the catalog's."""
        if self.detections:
            return self.detections[-1].time
        return self.catalog.automatic_updates.last_detection_time
