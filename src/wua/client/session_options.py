"""What a session is given (SessionOptions) and what it reports (CallCounter).

Apart from the session because its parts (activation, exporter calls) read the same
options and count into the same counter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wua.client.ping import DEFAULT_PING_PERIOD

DEFAULT_POOL_SIZE = 6


@dataclass
class SessionOptions:
    """Knobs of one session; no timeout is hard-coded: `None` waits as long as it takes."""

    connect_timeout: float | None = 10.0
    call_timeout: float | None = 900.0
    ping_period: float = DEFAULT_PING_PERIOD
    pool_size: int = DEFAULT_POOL_SIZE
    auth_level: int = 6  # RPC_C_AUTHN_LEVEL_PKT_PRIVACY, announced in the activation blob


@dataclass
class CallCounter:
    """Calls sent by kind: what the benchmark reports per update."""

    by_kind: Counter[str] = field(default_factory=Counter)
    by_member: Counter[str] = field(default_factory=Counter)  # Invoke by "IFoo::Member"

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())
