"""Keeping a session's objects alive: one ping set per session (MS-DCOM 3.2.4.2).

An exporter collects an object after three ping periods without a ping naming it, and a
Search can outlast many periods, so pinging runs as its own task beside the calls.
New OIDs join the set with the next ComplexPing; a tick with no change is a
SimplePing. The sleep function is injected, so tests drive time without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from wua.dcom.orpc import PING_PERIOD_SECONDS
from wua.errors import WuaError

DEFAULT_PING_PERIOD = PING_PERIOD_SECONDS

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class PingUpdate:
    """One ComplexPing: the set (0: make one), sequence number and OID changes."""

    set_id: int
    sequence: int
    add: tuple[int, ...]
    remove: tuple[int, ...]


ComplexSender = Callable[[PingUpdate], Awaitable[int]]  # returns the set ID
SimpleSender = Callable[[int], Awaitable[None]]


class Pinger:
    """The ping set of one session and the loop that refreshes it every `period`."""

    def __init__(
        self,
        complex_ping: ComplexSender,
        simple_ping: SimpleSender,
        *,
        period: float = DEFAULT_PING_PERIOD,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._complex = complex_ping
        self._simple = simple_ping
        self.period = period
        self._sleep = sleep
        self.set_id = 0
        self._sequence = 0
        self._members: set[int] = set()
        self._to_add: set[int] = set()
        self._to_remove: set[int] = set()
        self.pings = 0
        self.last_error: BaseException | None = None

    def add(self, oid: int) -> None:
        if oid not in self._members:
            self._to_remove.discard(oid)
            self._to_add.add(oid)

    def remove(self, oid: int) -> None:
        self._to_add.discard(oid)
        if oid in self._members:
            self._to_remove.add(oid)

    async def tick(self) -> None:
        """One period's ping: ComplexPing when the set changed, else SimplePing."""
        if self._to_add or self._to_remove:
            self._sequence = (self._sequence + 1) & 0xFFFF
            add, remove = tuple(sorted(self._to_add)), tuple(sorted(self._to_remove))
            self.set_id = await self._complex(PingUpdate(self.set_id, self._sequence, add, remove))
            # only once the host has them: a failed ping retries the same changes
            self._to_add.difference_update(add)
            self._to_remove.difference_update(remove)
            self._members.update(add)
            self._members.difference_update(remove)
            self.pings += 1
        elif self.set_id:
            await self._simple(self.set_id)
            self.pings += 1

    async def run(self) -> None:
        """Ping until cancelled; the first ping goes one period after the start.

        A failed ping is kept (`last_error`) and retried next period rather than ending
        the task: the exporter allows three missed periods, and the calls themselves
        report a lost host with its stage.
        """
        while True:
            await self._sleep(self.period)
            try:
                await self.tick()
            except (WuaError, OSError) as exc:
                self.last_error = exc

    @property
    def members(self) -> frozenset[int]:
        return frozenset(self._members)
