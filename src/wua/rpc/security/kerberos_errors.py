"""Why a Kerberos ticket could not be had, in a user's words and Windows' status codes.

pyspnego and our `SessionTickets` let the Kerberos libraries' own errors through (MIT's
text inside krb5's and gssapi's exceptions); the causes below turn them into the
sentence and the SSPI status a Windows client would report, with MIT's text kept after.
"""

from __future__ import annotations

import re
import struct

from spnego.exceptions import SpnegoError

from wua.errors import AuthenticationFailed
from wua.reference.hresults import (
    SEC_E_LOGON_DENIED,
    SEC_E_NO_AUTHENTICATING_AUTHORITY,
    SEC_E_NO_CREDENTIALS,
    SEC_E_SECPKG_NOT_FOUND,
    SEC_E_TARGET_UNKNOWN,
    SEC_E_TIME_SKEW,
)

#: What pyspnego raises on a token it cannot use: its own errors, and (from its raw
#: parsers, e.g. inside a SPNEGO token we do not pre-parse) plain Python ones; an AV
#: pair TIMESTAMP beyond year 9999 overflows its FILETIME-to-datetime conversion.
PEER_TOKEN_ERRORS = (SpnegoError, ValueError, KeyError, IndexError, OverflowError, struct.error)


def _kerberos_library_errors() -> tuple[type[BaseException], ...]:
    """pyspnego lets the Kerberos libraries' own errors through when it gets a ticket."""
    errors: list[type[BaseException]] = [*PEER_TOKEN_ERRORS, ImportError]
    try:
        from krb5 import Krb5Error

        errors.append(Krb5Error)
    except ImportError:
        pass  # no Kerberos on this machine: pyspnego raises ImportError instead
    try:
        from gssapi.raw.misc import GSSError

        errors.append(GSSError)
    except ImportError:
        pass
    return tuple(errors)


KERBEROS_ERRORS = _kerberos_library_errors()

#: MIT's messages (as regular expressions) for the usual reasons a ticket cannot be had,
#: in a user's words, with the SSPI status Windows reports for each.
KERBEROS_CAUSES = tuple(
    (re.compile(pattern, re.IGNORECASE), why, hresult)
    for pattern, why, hresult in (
        (
            r"preauthentication failed|decrypt integrity check failed",
            "the password is wrong",
            SEC_E_LOGON_DENIED,
        ),
        (r"client .*not found", "the realm has no such user", SEC_E_LOGON_DENIED),
        (r"server .*not found", "the KDC knows no service principal {spn}", SEC_E_TARGET_UNKNOWN),
        (
            r"cannot contact any kdc",
            "no KDC of the realm answers",
            SEC_E_NO_AUTHENTICATING_AUTHORITY,
        ),
        (
            r"cannot find kdc|cannot resolve network address for kdc",
            "no KDC is configured for the realm (krb5.conf)",
            SEC_E_NO_AUTHENTICATING_AUTHORITY,
        ),
        (
            r"clock skew",
            "this machine's clock and the KDC's differ by more than 5 minutes",
            SEC_E_TIME_SKEW,
        ),
        (
            r"no credentials cache|no kerberos credentials|credentials cache file",
            "there is no ticket: run kinit or give a password",
            SEC_E_NO_CREDENTIALS,
        ),
        (
            r"gssapi|krb5",
            "MIT Kerberos support is not installed (pip install 'wua[kerberos]')",
            SEC_E_SECPKG_NOT_FOUND,
        ),
    )
)


def kerberos_failure(spn: str, exc: BaseException | None) -> AuthenticationFailed:
    """The error for a Kerberos exchange toward `spn` that failed with `exc`."""
    text = str(exc or "")
    why, hresult = next(
        ((why, hresult) for pattern, why, hresult in KERBEROS_CAUSES if pattern.search(text)),
        (
            "check the realm's KDC, your ticket or password, the clocks, and that "
            f"{spn} is a service principal of the realm",
            SEC_E_LOGON_DENIED,
        ),
    )
    detail = f" ({text.strip()})" if text.strip() else ""
    return AuthenticationFailed(
        f"Kerberos could not start for {spn}: {why.format(spn=spn)}{detail}", hresult=hresult
    )
