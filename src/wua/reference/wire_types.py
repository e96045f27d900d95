"""The ranges of the reference's integer wire types, the LONG that carries an HRESULT,
and the text form of a GUID that WUA's string properties (UpdateID, ServiceID) use.

The catalog loader, the criteria parser, the emulated objects and the CLI each check
numbers and GUIDs against these; one definition keeps their answers the same.
"""

from __future__ import annotations

import re
from datetime import datetime

LONG_MIN = -(2**31)
LONG_MAX = 2**31 - 1
ULONG_MAX = 2**32 - 1

# Day zero of the OLE automation DATE (a count of days, no time zone): what a DATE of
# 0.0 means, and what zeroed memory reads as.
OLE_DATE_EPOCH = datetime(1899, 12, 30)

# A GUID as WUA writes it in strings: 8-4-4-4-12 hex digits, no braces (either case).
GUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def canonical_guid(text: str) -> str | None:
    """`text` as WUA writes a GUID (8-4-4-4-12, lower case), or None if it is not one.

    The one rule for every entry point that takes a GUID as text (criteria values,
    catalog fields, the emulated `IUpdateSearcher.ServiceID`, the CLI's `--service-id`
    and `--category`), so that the command line refuses exactly what the host would.
    `uuid.UUID(text)` is not that rule: it also takes braces, `urn:uuid:` and 32 bare
    hex digits.

    What Windows takes: WUA's `put_ServiceID` takes the 8-4-4-4-12 form, either case,
    and reports it back in lower case. That it refuses the braced form ("{...}") with
    E_INVALIDARG is, as far as we know, true but unverified against a Windows host;
    the other forms `uuid.UUID` takes are assumed to be refused likewise.
    """
    return text.lower() if GUID_TEXT.fullmatch(text) else None


def as_long(value: int) -> int:
    """An unsigned 32-bit value (an HRESULT) as the LONG that carries it.

    WUA declares HResult properties as LONG, so 0x80070643 travels as -2147023293.
    """
    value &= ULONG_MAX
    return value - (1 << 32) if value > LONG_MAX else value
