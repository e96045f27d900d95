"""Exit codes scripts can branch on, chosen from the exception's class in one table.

Order matters: the first class the exception is an instance of wins, so subclasses come
before their bases (NotAvailableRemotely is an AccessDenied, but it means "no remote
caller can do this", not "you are not an administrator").
"""

from __future__ import annotations

from enum import IntEnum

from wua.errors import (
    AccessDenied,
    AuthenticationFailed,
    CatalogError,
    HostUnreachable,
    NotAvailableRemotely,
    WuaError,
)


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    UNREACHABLE = 3
    ACCESS_DENIED = 4
    NOT_AVAILABLE_REMOTELY = 5
    INTERRUPTED = 130


EXIT_CODES: tuple[tuple[type[WuaError], ExitCode], ...] = (
    (NotAvailableRemotely, ExitCode.NOT_AVAILABLE_REMOTELY),
    (AccessDenied, ExitCode.ACCESS_DENIED),
    (AuthenticationFailed, ExitCode.ACCESS_DENIED),
    (CatalogError, ExitCode.USAGE),
    (HostUnreachable, ExitCode.UNREACHABLE),
    (WuaError, ExitCode.FAILURE),
)

MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.FAILURE: "any other failure (the message names the HRESULT and the fix)",
    ExitCode.USAGE: (
        "bad command line, option value, credentials source, config file or catalog file"
    ),
    ExitCode.UNREACHABLE: "host, port 135 or the exporter port cannot be reached",
    ExitCode.ACCESS_DENIED: (
        "logon refused, not an administrator of the target, or UAC remote restrictions"
    ),
    ExitCode.NOT_AVAILABLE_REMOTELY: "the operation is not available to remote callers",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_code_for(error: WuaError) -> ExitCode:
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return ExitCode.FAILURE


def exit_codes_help() -> str:
    """The epilog text of `wua --help`: the table scripts need, generated from the table."""
    rows = "\n".join(f"  {int(code)}  {MEANINGS[code]}" for code in ExitCode)
    return f"Exit codes:\n\n\b\n{rows}"
