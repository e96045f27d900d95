"""Exceptions users catch by meaning.

Every failure carries the HRESULT with its symbol, meaning and fix from the reference
table (`wua.reference.hresults`). The class is chosen by the table's `kind` column, so
`error_for(0x80070005)` is an `AccessDenied` without a line of code per HRESULT.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from wua.reference.hresults import (
    E_ACCESSDENIED,
    RPC_S_PROTOCOL_ERROR,
    RPC_S_SERVER_UNAVAILABLE,
    SEC_E_LOGON_DENIED,
    WU_E_INVALID_CRITERIA,
    FailureKind,
    HResult,
    lookup,
)


class WuaError(Exception):
    """A failure with an HRESULT, its symbol, its meaning in plain words and the fix."""

    default_hresult: int = 0x80004005  # E_FAIL

    def __init__(
        self,
        message: str | None = None,
        *,
        hresult: int | None = None,
        host: str | None = None,
        stage: str | None = None,
    ) -> None:
        self.info: HResult = lookup(self.default_hresult if hresult is None else hresult)
        self.host = host
        self.stage = stage
        self.detail = message
        super().__init__(self._render())

    @property
    def hresult(self) -> int:
        return self.info.value

    @property
    def symbol(self) -> str:
        return self.info.symbol

    @property
    def meaning(self) -> str:
        return self.info.meaning

    @property
    def fix(self) -> str | None:
        return self.info.fix

    @property
    def retryable(self) -> bool:
        return self.info.retryable

    def _render(self) -> str:
        where = ""
        if self.host or self.stage:
            where = "[" + " ".join(p for p in (self.host, self.stage) if p) + "] "
        text = self.detail or self.meaning
        out = f"{where}{text} ({self.symbol}, {self.info.hex})"
        if self.fix:
            out += f"\nFix: {self.fix}"
        return out


AccessCause = Literal["rights", "auth_level"]
"""Why the host refused, as far as the client can know it.

- `"rights"`: the host refused this logon at a protection level it accepts: the account is
  not an administrator, or is a local administrator whose network logon UAC remote
  restrictions filter (LocalAccountTokenFilterPolicy=0). Windows answers both with the
  same E_ACCESSDENIED, so no value can tell them apart.
- `"auth_level"`: refused while the session asked for less than PKT_INTEGRITY, which DCOM
  hardening (KB5004442) refuses; the likelier cause, as the rights may be missing too.
"""


class AccessDenied(WuaError):
    """The target refused: not an administrator, UAC remote restrictions, or a denied call.

    `cause` says why when the client knows it (see `AccessCause`), None otherwise, so
    callers branch on a value instead of the wording of the message.
    """

    default_hresult = E_ACCESSDENIED
    # A class default too: `error_for` builds instances without calling this __init__.
    cause: AccessCause | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        hresult: int | None = None,
        host: str | None = None,
        stage: str | None = None,
        cause: AccessCause | None = None,
    ) -> None:
        self.cause = cause
        super().__init__(message, hresult=hresult, host=host, stage=stage)


class NotAvailableRemotely(AccessDenied):
    """The member is not available to a remote caller; refused before any traffic.

    `rule` is the text of the rule (from "Using WUA From a Remote Computer" or the SDK
    method page) and `workaround` how to get the same result.
    """

    def __init__(
        self, message: str, *, rule: str, workaround: str, host: str | None = None
    ) -> None:
        self.rule = rule
        self.workaround = workaround
        super().__init__(
            f"{message}. {rule} Instead: {workaround}", host=host, stage="client rules"
        )

    @property
    def fix(self) -> str | None:
        return self.workaround


class InvalidCriteria(WuaError):
    """The search criteria do not parse or break a rule of the language.

    `position` is the zero-based character offset of the problem in `criteria`.
    """

    default_hresult = WU_E_INVALID_CRITERIA

    def __init__(self, message: str, *, criteria: str = "", position: int = 0) -> None:
        self.criteria = criteria
        self.position = position
        pointer = ""
        if criteria:
            pointer = f"\n  {criteria}\n  {' ' * position}^"
        super().__init__(f"{message} at position {position}{pointer}")


class HostUnreachable(WuaError):
    """The host, its port 135 or its exporter port cannot be reached (stage says which)."""

    default_hresult = RPC_S_SERVER_UNAVAILABLE


class AuthenticationFailed(WuaError):
    """The logon failed or a signature did not verify."""

    default_hresult = SEC_E_LOGON_DENIED


class ProtocolError(WuaError):
    """Bytes that break the protocol: names the structure and the offset of the problem."""

    default_hresult = RPC_S_PROTOCOL_ERROR

    def __init__(self, message: str, *, structure: str = "", offset: int | None = None) -> None:
        self.structure = structure
        self.offset = offset
        where = structure
        if offset is not None:
            where = f"{structure} at offset {offset}" if structure else f"offset {offset}"
        super().__init__(f"{where}: {message}" if where else message)


class UpdateServerError(WuaError):
    """The target could not reach its update server during a search; retryable."""


class NotFound(WuaError):
    """An index, ID, interface or name the target does not know."""


class CatalogError(WuaError):
    """An emulated-host catalog file is invalid; `field` is the path of the bad field."""

    default_hresult = 0x80240031  # WU_E_INVALID_FILE

    def __init__(self, message: str, *, field: str = "", source: str = "") -> None:
        self.field = field
        self.source = source
        where = ": ".join(p for p in (source, field) if p)
        super().__init__(f"{where}: {message}" if where else message)


_CLASS_BY_KIND: Mapping[FailureKind, type[WuaError]] = MappingProxyType(
    {
        FailureKind.ACCESS_DENIED: AccessDenied,
        FailureKind.INVALID_CRITERIA: InvalidCriteria,
        FailureKind.HOST_UNREACHABLE: HostUnreachable,
        FailureKind.AUTHENTICATION: AuthenticationFailed,
        FailureKind.PROTOCOL: ProtocolError,
        FailureKind.UPDATE_SERVER: UpdateServerError,
        FailureKind.NOT_FOUND: NotFound,
        FailureKind.OTHER: WuaError,
    }
)


def error_for(
    hresult: int, message: str | None = None, *, host: str | None = None, stage: str | None = None
) -> WuaError:
    """The exception of the right class for an HRESULT the target returned."""
    cls = _CLASS_BY_KIND[lookup(hresult).kind]
    err = WuaError.__new__(cls)
    WuaError.__init__(err, message, hresult=hresult, host=host, stage=stage)
    return err
