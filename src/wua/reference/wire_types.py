"""The ranges of the reference's integer wire types, the LONG that carries an HRESULT,
and the text form of a GUID that WUA's string properties (UpdateID, ServiceID) use.

The catalog loader, the criteria parser and the emulated objects each check numbers
against these bounds; one definition keeps their answers the same.
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


def as_long(value: int) -> int:
    """An unsigned 32-bit value (an HRESULT) as the LONG that carries it.

    WUA declares HResult properties as LONG, so 0x80070643 travels as -2147023293.
    """
    value &= ULONG_MAX
    return value - (1 << 32) if value > LONG_MAX else value
