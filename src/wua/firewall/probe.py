"""What one `wua check` run knows about its host while the stages run.

A probe belongs to one run (no shared state between hosts): the target, the answers
earlier stages found (resolved addresses, the session, how opening it ended), and a way
to open a session at another authentication level, which the DCOM-hardening stage uses
to tell "too weak a level" from "not an administrator".
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wua.client.session import AsyncSession
from wua.errors import WuaError
from wua.rpc.security.base import AuthLevel

SessionMaker = Callable[[AuthLevel], AsyncSession]


@dataclass(frozen=True)
class Target:
    """The host and how to reach it; `username` None means no account was given (with
    `kerberos`, the ticket cache's principal is used)."""

    host: str
    port: int
    username: str | None
    domain: str | None
    auth_level: AuthLevel
    connect_timeout: float | None
    kerberos: bool = False


@dataclass
class Opening:
    """How opening a session at one level ended: the session, or the error."""

    session: AsyncSession | None = None
    error: WuaError | None = None


@dataclass
class Probe:
    target: Target
    make_session: SessionMaker
    addresses: tuple[str, ...] = ()
    openings: dict[AuthLevel, Opening] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return self.target.host

    async def open_at(self, level: AuthLevel) -> Opening:
        """A session at `level`, opened once per level and kept for the later stages."""
        if level in self.openings:
            return self.openings[level]
        session = self.make_session(level)
        opening = Opening()
        try:
            await session.open()
            opening.session = session
        except WuaError as error:
            opening.error = error
        self.openings[level] = opening
        return opening

    @property
    def session(self) -> AsyncSession | None:
        opening = self.openings.get(self.target.auth_level)
        return None if opening is None else opening.session

    async def close(self) -> None:
        # A session to a half-broken host may fail to release its objects; the diagnosis
        # already holds its answer, and the host collects unpinged objects by itself.
        for opening in self.openings.values():
            if opening.session is not None:
                with contextlib.suppress(WuaError, OSError):
                    await opening.session.close()
        self.openings.clear()
