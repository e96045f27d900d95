"""The clock and entropy the acceptor uses unless a caller injects its own.

Kept out of the protocol modules so that tests (and replays of captured handshakes)
can fix the server challenge and timestamp.
"""

from __future__ import annotations

import os
import time

_FILETIME_EPOCH_OFFSET = 116444736000000000  # 1601-01-01 to 1970-01-01 in 100 ns ticks


def filetime_now() -> int:
    """Now as a Windows FILETIME (100 ns ticks since 1601), the AV timestamp's unit."""
    return time.time_ns() // 100 + _FILETIME_EPOCH_OFFSET


def random_bytes(count: int) -> bytes:
    return os.urandom(count)
