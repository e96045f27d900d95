"""The HRESULT table: every code the reference knows, in plain words, with the fix.

Symbols and meanings come from `errors.json`. What this module adds is what an
administrator needs next: the fix (where one exists), whether retrying can help, and
which kind of failure it is (`kind`), which `wua.errors` turns into an exception class.
Codes that are not WUA's own but that a remote caller meets on the way (NTLM, DCOM
activation) are added here with the same columns; RPC fault statuses come from
`fault_statuses`, the one table that `wua.rpc.faults` reads too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from wua.reference._data import load
from wua.reference.fault_statuses import FAULT_ROWS


class FailureKind(Enum):
    """What a failure means to the caller; each kind is one exception class."""

    ACCESS_DENIED = "access_denied"
    INVALID_CRITERIA = "invalid_criteria"
    HOST_UNREACHABLE = "host_unreachable"
    AUTHENTICATION = "authentication"
    PROTOCOL = "protocol"
    UPDATE_SERVER = "update_server"
    NOT_FOUND = "not_found"
    OTHER = "other"


@dataclass(frozen=True)
class HResult:
    value: int
    symbol: str
    meaning: str
    fix: str | None = None
    retryable: bool = False
    kind: FailureKind = FailureKind.OTHER

    @property
    def hex(self) -> str:
        return f"0x{self.value:08X}"

    @property
    def is_error(self) -> bool:
        return bool(self.value & 0x80000000)


_ADMIN_FIX = (
    "Use an account in the target's local Administrators group. For a local (non-domain) "
    "account other than the built-in Administrator, UAC remote restrictions strip admin "
    "rights from network logons: set HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
    "Policies\\System\\LocalAccountTokenFilterPolicy = 1 (DWORD) or use a domain account."
)
_FIREWALL_FIX = (
    "Allow inbound TCP 135 to svchost.exe (RPCSS) and the dynamic RPC ports to "
    "%WINDIR%\\system32\\dllhost.exe for your address (see `wua firewall rules`); check that "
    "the host is up and the name resolves (`wua check HOST`)."
)
_UPDATE_SERVER_FIX = (
    "The target could not reach its update server (WSUS or Windows Update). Check the "
    "target's proxy, DNS and outbound HTTPS, or its WSUS URL policy; the search can be retried."
)

# symbol -> (kind, retryable, fix); the one place where codes gain a fix and a kind.
_ANNOTATIONS: dict[str, tuple[FailureKind, bool, str | None]] = {
    "E_ACCESSDENIED": (FailureKind.ACCESS_DENIED, False, _ADMIN_FIX),
    "WU_E_PER_MACHINE_UPDATE_ACCESS_DENIED": (FailureKind.ACCESS_DENIED, False, _ADMIN_FIX),
    "WU_E_INVALID_CRITERIA": (
        FailureKind.INVALID_CRITERIA,
        False,
        "Correct the search criteria: names such as IsInstalled, Type, CategoryIDs; operators "
        "=, != (Type, UpdateID only), contains (CategoryIDs); strings in single quotes; "
        "'or' only between top-level groups.",
    ),
    "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)": (
        FailureKind.HOST_UNREACHABLE,
        True,
        _FIREWALL_FIX,
    ),
    "HRESULT_FROM_WIN32(RPC_S_CALL_FAILED)": (FailureKind.HOST_UNREACHABLE, True, _FIREWALL_FIX),
    "RPC_E_DISCONNECTED": (
        FailureKind.PROTOCOL,
        True,
        "The remote object is gone (its process exited or it was not pinged in time); "
        "reconnect and repeat the call.",
    ),
    "HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)": (
        FailureKind.OTHER,
        False,
        "Enable the Windows Update service (wuauserv) on the target.",
    ),
    "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_PT_UNEXPECTED": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_PT_WINHTTP_CANNOT_CONNECT": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_PT_HTTP_STATUS_BAD_REQUEST": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_NO_CONNECTION": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_TIME_OUT": (FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX),
    "WU_E_AU_NOSERVICE": (
        FailureKind.OTHER,
        True,
        "Automatic Updates is disabled, starting or not configured on the target; "
        "check the wuauserv service and the AU policy, then retry.",
    ),
    "WU_E_INVALIDINDEX": (FailureKind.NOT_FOUND, False, None),
    "WU_E_DS_NODATA": (FailureKind.NOT_FOUND, False, None),
    "WU_E_UNKNOWN_ID": (FailureKind.NOT_FOUND, False, None),
    "E_NOINTERFACE": (
        FailureKind.NOT_FOUND,
        False,
        "The target's Windows Update Agent is older than this interface; use the base interface.",
    ),
    "REGDB_E_CLASSNOTREG": (
        FailureKind.NOT_FOUND,
        False,
        "The class is not registered on the target (is this a Windows host with the Windows "
        "Update Agent?).",
    ),
    "DISP_E_UNKNOWNNAME": (FailureKind.NOT_FOUND, False, None),
    "DISP_E_MEMBERNOTFOUND": (FailureKind.NOT_FOUND, False, None),
    "SEC_E_LOGON_DENIED": (
        FailureKind.AUTHENTICATION,
        False,
        "Check the user name, domain and password (or NT hash); the account may also be "
        "locked out or disabled.",
    ),
    "SEC_E_MESSAGE_ALTERED": (
        FailureKind.AUTHENTICATION,
        False,
        "A signature did not verify: the session keys disagree (wrong password) or the "
        "traffic was altered on the way.",
    ),
    "SEC_E_TARGET_UNKNOWN": (
        FailureKind.AUTHENTICATION,
        False,
        "Kerberos needs a service principal host/NAME for the host: connect by the DNS name "
        "the domain knows it by (`setspn -L HOST` lists its SPNs), not by address.",
    ),
    "SEC_E_NO_CREDENTIALS": (
        FailureKind.AUTHENTICATION,
        False,
        "Get a ticket first (`kinit user@REALM`; `klist` shows what you have) or give the "
        "password.",
    ),
    "SEC_E_NO_AUTHENTICATING_AUTHORITY": (
        FailureKind.AUTHENTICATION,
        True,
        "No KDC (domain controller) of the realm answers: check krb5.conf's [realms] or the "
        "DNS SRV records (_kerberos._tcp.REALM), and that TCP/UDP 88 to it is open.",
    ),
    "SEC_E_TIME_SKEW": (
        FailureKind.AUTHENTICATION,
        False,
        "Set this machine's clock to within 5 minutes of the domain controller's (NTP).",
    ),
    "SEC_E_SECPKG_NOT_FOUND": (
        FailureKind.AUTHENTICATION,
        False,
        "Install Kerberos support: pip install 'wua[kerberos]' (needs MIT Kerberos, e.g. "
        "Debian libkrb5-dev).",
    ),
    "SEC_E_INVALID_TOKEN": (
        FailureKind.AUTHENTICATION,
        False,
        "The peer's security token could not be parsed: it is not speaking NTLM/SPNEGO as "
        "expected, or the traffic was damaged.",
    ),
    "RPC_S_SEC_PKG_ERROR": (FailureKind.AUTHENTICATION, False, None),
    "E_ACCESSDENIED_AUTHN_LEVEL": (
        FailureKind.ACCESS_DENIED,
        False,
        "The target requires RPC_C_AUTHN_LEVEL_PKT_INTEGRITY or higher for DCOM activation "
        "(KB5004442 hardening): use auth_level='privacy' (the default) or 'integrity'.",
    ),
    "RPC_S_PROTOCOL_ERROR": (FailureKind.PROTOCOL, False, None),
    "RPC_X_BAD_STUB_DATA": (FailureKind.PROTOCOL, False, None),
    "RPC_NT_PROTOCOL_ERROR": (FailureKind.PROTOCOL, False, None),
    "NCA_S_UNK_IF": (FailureKind.PROTOCOL, False, None),
    "NCA_S_OP_RNG_ERROR": (FailureKind.PROTOCOL, False, None),
}

# Codes a remote caller meets on the way to WUA that the WUA reference does not list
# (besides the fault statuses of `fault_statuses.FAULT_ROWS`).
_EXTRA: tuple[tuple[int, str, str], ...] = (
    # Success codes: history entries and results carry them (HResult 0 on every entry
    # that succeeded), and "a code that wua does not know" would be wrong for them.
    (0x00000000, "S_OK", "Success."),
    (0x00000001, "S_FALSE", "Success, with a negative or empty answer (S_FALSE)."),
    (0x8009030C, "SEC_E_LOGON_DENIED", "The logon attempt failed: wrong user, domain or password."),
    (0x8009030F, "SEC_E_MESSAGE_ALTERED", "A message signature or sequence number did not verify."),
    (0x80090308, "SEC_E_INVALID_TOKEN", "The security token supplied is invalid."),
    (0x80090305, "SEC_E_SECPKG_NOT_FOUND", "The requested security package does not exist."),
    (0x80090303, "SEC_E_TARGET_UNKNOWN", "The specified target is unknown or unreachable."),
    (0x8009030E, "SEC_E_NO_CREDENTIALS", "No credentials are available in the security package."),
    (
        0x80090311,
        "SEC_E_NO_AUTHENTICATING_AUTHORITY",
        "No authority could be contacted for authentication.",
    ),
    (0x80090324, "SEC_E_TIME_SKEW", "The clocks on the client and server machines are skewed."),
    (0x000006C0, "RPC_S_PROTOCOL_ERROR", "An RPC protocol error occurred."),
    (0xC002004C, "RPC_NT_PROTOCOL_ERROR", "An RPC protocol error occurred."),
    (
        0x800705B4,
        "HRESULT_FROM_WIN32(ERROR_TIMEOUT)",
        "The call did not finish within the time allowed.",
    ),
    (
        0x80070721,
        "HRESULT_FROM_WIN32(RPC_S_SEC_PKG_ERROR)",
        "A security package-specific error occurred.",
    ),
)


# Meanings rewritten for the person reading an error (the reference's text is for engineers).
_PLAIN_MEANING: dict[str, str] = {
    "E_ACCESSDENIED": (
        "Access denied: the account is not an administrator of the target (or UAC remote "
        "restrictions apply), or the call is not allowed to remote callers."
    ),
    "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)": (
        "The RPC server is unavailable: the host is down, its name does not resolve, or a "
        "firewall blocks TCP 135 or the dynamic RPC ports."
    ),
}


def _build() -> dict[int, HResult]:
    rows: list[tuple[int, str, str]] = [
        (int(e["value"]) & 0xFFFFFFFF, e["name"], e["meaning"]) for e in load("errors")["errors"]
    ]
    rows.extend(_EXTRA)
    rows.extend(FAULT_ROWS)
    table: dict[int, HResult] = {}
    for value, symbol, meaning in rows:
        kind, retryable, fix = _ANNOTATIONS.get(symbol, (FailureKind.OTHER, False, None))
        if symbol.startswith("WU_E_PT_") and kind is FailureKind.OTHER:
            kind, retryable, fix = FailureKind.UPDATE_SERVER, True, _UPDATE_SERVER_FIX
        meaning = _PLAIN_MEANING.get(symbol, meaning)
        table[value] = HResult(value, symbol, meaning, fix, retryable, kind)
    return table


@cache
def table() -> dict[int, HResult]:
    """Every known code by value."""
    return _build()


def lookup(value: int) -> HResult:
    """The table's row for `value`, or an 'unknown code' row that still says what it is."""
    value &= 0xFFFFFFFF
    known = table().get(value)
    if known is not None:
        return known
    facility = (value >> 16) & 0x1FFF
    if facility == 7 and value & 0x80000000:
        meaning = f"Windows error {value & 0xFFFF} (HRESULT_FROM_WIN32)."
    elif facility == 0x24:
        meaning = "A Windows Update Agent code that this version of wua does not know."
    else:
        meaning = "A code that this version of wua does not know."
    return HResult(value, f"0x{value:08X}", meaning)


def by_symbol(symbol: str) -> HResult:
    """The row whose symbol is `symbol` (KeyError if none)."""
    for row in table().values():
        if row.symbol == symbol:
            return row
    raise KeyError(symbol)


E_ACCESSDENIED = 0x80070005
WU_E_INVALID_CRITERIA = 0x80240032
RPC_S_SERVER_UNAVAILABLE = 0x800706BA
DISP_E_EXCEPTION = 0x80020009
DISP_E_UNKNOWNNAME = 0x80020006
DISP_E_MEMBERNOTFOUND = 0x80020003
RPC_E_DISCONNECTED = 0x80010108
E_NOINTERFACE = 0x80004002
SEC_E_LOGON_DENIED = 0x8009030C
SEC_E_MESSAGE_ALTERED = 0x8009030F
SEC_E_INVALID_TOKEN = 0x80090308
SEC_E_TARGET_UNKNOWN = 0x80090303
SEC_E_NO_CREDENTIALS = 0x8009030E
SEC_E_NO_AUTHENTICATING_AUTHORITY = 0x80090311
SEC_E_TIME_SKEW = 0x80090324
SEC_E_SECPKG_NOT_FOUND = 0x80090305
RPC_S_PROTOCOL_ERROR = 0x000006C0
S_OK = 0

# The codes the emulated WUA objects answer with (one definition each, here, rather
# than a private copy per module).
E_NOTIMPL = 0x80004001
E_POINTER = 0x80004003
E_INVALIDARG = 0x80070057
DISP_E_PARAMNOTFOUND = 0x80020004
DISP_E_TYPEMISMATCH = 0x80020005
DISP_E_NONAMEDARGS = 0x80020007
DISP_E_OVERFLOW = 0x8002000A
DISP_E_BADINDEX = 0x8002000B
DISP_E_BADPARAMCOUNT = 0x8002000E
TYPE_E_ELEMENTNOTFOUND = 0x8002802B
REGDB_E_CLASSNOTREG = 0x80040154
WU_E_NO_SERVICE = 0x80240001
WU_E_INVALIDINDEX = 0x80240007
WU_E_NOT_SUPPORTED = 0x80240037
WU_E_DS_UNKNOWNSERVICE = 0x80248014
WU_E_AU_NOSERVICE = 0x8024A000
HRESULT_FROM_WIN32_FILE_NOT_FOUND = 0x80070002
HRESULT_FROM_WIN32_SERVICE_DISABLED = 0x80070422
