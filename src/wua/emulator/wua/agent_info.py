"""IWindowsUpdateAgentInfo::GetInfo: the agent's version, by name."""

from __future__ import annotations

from typing import ClassVar

from wua.emulator.wua.base import CALL, EmulatedObject, HandlerTable
from wua.emulator.wua.state import HostState
from wua.errors import error_for
from wua.reference.hresults import E_INVALIDARG


class WindowsUpdateAgentInfoObject(EmulatedObject):
    INTERFACES = ("IWindowsUpdateAgentInfo",)
    HANDLERS: ClassVar[HandlerTable] = {("GetInfo", CALL): "get_info"}

    def __init__(self, state: HostState) -> None:
        self.state = state

    def get_info(self, identifier: object) -> int | str:
        """ApiMajorVersion / ApiMinorVersion (VT_I4), ProductVersionString (VT_BSTR).

        The identifier must be a VT_BSTR, compared case-insensitively (MS-UAMG);
        anything else is E_INVALIDARG.
        """
        agent = self.state.catalog.agent
        answers: dict[str, int | str] = {
            "apimajorversion": agent.api_major_version,
            "apiminorversion": agent.api_minor_version,
            "productversionstring": agent.product_version_string,
        }
        if isinstance(identifier, str) and identifier.lower() in answers:
            return answers[identifier.lower()]
        raise error_for(
            E_INVALIDARG,
            f"GetInfo: {identifier!r} is not ApiMajorVersion, ApiMinorVersion or "
            "ProductVersionString",
        )
