"""IUpdateSession(2, 3): the root object a remote caller activates.

Each session has its own ClientApplicationID and UserLocale; a searcher or service
manager it creates starts with the session's ClientApplicationID. On hosts whose build
refuses remote searches (`HostBehaviour.deny_remote_search`), CreateUpdateSearcher
answers E_ACCESSDENIED.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from wua.emulator.wua.base import CALL, GET, PUT, EmulatedObject, HandlerTable, settings_by_name
from wua.emulator.wua.collections import UpdateHistoryEntryCollectionObject
from wua.emulator.wua.history import history_matching, history_page
from wua.emulator.wua.searcher import UpdateSearcherObject, searcher_for_remote_caller
from wua.emulator.wua.services import UpdateServiceManagerObject
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.hresults import E_INVALIDARG


@dataclass
class SessionSettings:
    client_application_id: str = ""
    user_locale: int = 1033


class UpdateSessionObject(EmulatedObject):
    INTERFACES = ("IUpdateSession", "IUpdateSession2", "IUpdateSession3")
    SETTINGS: ClassVar[Mapping[str, str]] = settings_by_name("ClientApplicationID", "UserLocale")
    HANDLERS: ClassVar[HandlerTable] = {
        ("ReadOnly", GET): "read_only",
        ("UserLocale", PUT): "set_user_locale",
        ("CreateUpdateSearcher", CALL): "create_update_searcher",
        ("CreateUpdateServiceManager", CALL): "create_update_service_manager",
        ("QueryHistory", CALL): "query_history",
    }

    def __init__(self, state: HostState) -> None:
        self.state = state
        self.settings = SessionSettings(user_locale=state.behaviour.user_locale)

    def read_only(self) -> bool:
        """A session made through activation is never read-only (only WUA's own are)."""
        return False

    def set_user_locale(self, lcid: int) -> None:
        """0 is not a locale (LOCALE_NEUTRAL) and answers E_INVALIDARG."""
        if lcid == 0:
            raise error_for(E_INVALIDARG, "UserLocale: 0 is not a locale")
        self.settings.user_locale = lcid

    def create_update_searcher(self) -> UpdateSearcherObject:
        return searcher_for_remote_caller(self.state, self.settings.client_application_id)

    def create_update_service_manager(self) -> UpdateServiceManagerObject:
        return UpdateServiceManagerObject(self.state, self.settings.client_application_id)

    def query_history(
        self, criteria: str, start: int, count: int
    ) -> UpdateHistoryEntryCollectionObject:
        """History filtered by criteria (only `UpdateID = '…'` is documented), then paged."""
        entries = history_matching(self.state.catalog.history, criteria)
        return history_page(self.state, entries, start, count, "IUpdateSession3.QueryHistory")
