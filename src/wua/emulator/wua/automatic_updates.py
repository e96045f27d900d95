"""IAutomaticUpdates(2) and IAutomaticUpdatesResults, as a remote caller sees them.

Of IAutomaticUpdates only DetectNow is callable remotely (Pause, Resume, Settings, … are
refused by `dispatch` before reaching here). DetectNow only *asks* Automatic Updates to
run a detection; the emulated host records the request, and refuses it with
WU_E_AU_NOSERVICE when Automatic Updates is disabled in the catalog.
"""

from __future__ import annotations

from typing import ClassVar

from wua.emulator.catalog import AutomaticUpdates
from wua.emulator.wua.base import CALL, GET, EmulatedObject, FieldTable, HandlerTable, by_name
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.hresults import WU_E_AU_NOSERVICE


class AutomaticUpdatesResultsObject(EmulatedObject):
    """Dates are VARIANTs: VT_DATE when known, VT_EMPTY (None) when never happened."""

    INTERFACES = ("IAutomaticUpdatesResults",)
    FIELDS: ClassVar[FieldTable] = by_name("LastSearchSuccessDate", "LastInstallationSuccessDate")

    def __init__(self, results: AutomaticUpdates) -> None:
        self.source = results


class AutomaticUpdatesObject(EmulatedObject):
    INTERFACES = ("IAutomaticUpdates", "IAutomaticUpdates2")
    HANDLERS: ClassVar[HandlerTable] = {
        ("DetectNow", CALL): "detect_now",
        ("Results", GET): "results",
    }

    def __init__(self, state: HostState) -> None:
        self.state = state

    def detect_now(self) -> None:
        if not self.state.catalog.automatic_updates.enabled:
            raise error_for(WU_E_AU_NOSERVICE, "DetectNow: Automatic Updates is disabled")
        self.state.record_detection()

    def results(self) -> AutomaticUpdatesResultsObject:
        return AutomaticUpdatesResultsObject(self.state.catalog.automatic_updates)
