"""The synchronous API: the asyncio session run on a private event loop in a thread.

As httpcore does sync-from-async: one implementation, and this facade hands each call
to the session's own loop and waits for it. Every session has its own loop and thread,
so nothing is shared between sessions. Remote objects are wrapped so that
`update.title` is a str, `searcher.search(...)` returns the result, and assigning a
property performs the put.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self

from wua.client.connect import build_session
from wua.client.objects import RemoteList, RemoteObject
from wua.client.scan import DEFAULT_CRITERIA, ScanRow, scan_pending
from wua.client.session import AsyncSession


class _Portal:
    """An event loop on its own daemon thread; `run` executes a coroutine there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="wua-session", daemon=True
        )
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class SyncObject:
    """A remote object seen synchronously; attributes as in the asyncio class."""

    __slots__ = ("_portal", "_target")

    def __init__(self, portal: _Portal, target: RemoteObject) -> None:
        object.__setattr__(self, "_portal", portal)
        object.__setattr__(self, "_target", target)

    def __repr__(self) -> str:
        return repr(self._target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if asyncio.iscoroutine(value):
            return _wrap(self._portal, self._portal.run(value))
        if callable(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                result = value(*(_unwrap(a) for a in args), **kwargs)
                if asyncio.iscoroutine(result):
                    result = self._portal.run(result)
                return _wrap(self._portal, result)

            return call
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        descriptor = getattr(type(self._target), name, None)
        setter = getattr(descriptor, "__set__", None)
        if setter is not None:
            try:
                setter(self._target, value)  # raises NotAvailableRemotely for a forbidden put
            except TypeError:
                self._portal.run(self._target.set(name, _unwrap(value)))
            return
        raise AttributeError(f"{type(self._target).__name__} has no property {name!r}")

    @property
    def remote(self) -> RemoteObject:
        """The asyncio object underneath."""
        target: RemoteObject = object.__getattribute__(self, "_target")
        return target


def _wrap(portal: _Portal, value: Any) -> Any:
    if isinstance(value, RemoteObject):
        return SyncObject(portal, value)
    if isinstance(value, RemoteList):
        out = RemoteList(_wrap(portal, item) for item in value)
        out.source = value.source
        return out
    if isinstance(value, dict):
        return {k: _wrap(portal, v) for k, v in value.items()}
    return value


def _unwrap(value: Any) -> Any:
    return value.remote if isinstance(value, SyncObject) else value


class SyncSession:
    """A host session for synchronous code: `with wua.connect(...) as host:`."""

    def __init__(self, session: AsyncSession, portal: _Portal) -> None:
        self._session = session
        self._portal = portal
        self.update_session: Any = SyncObject(portal, session.update_session)

    @property
    def host(self) -> str:
        return self._session.host

    @property
    def session(self) -> AsyncSession:
        return self._session

    def service_manager(self) -> Any:
        return _wrap(self._portal, self._portal.run(self._session.service_manager()))

    def automatic_updates(self) -> Any:
        return _wrap(self._portal, self._portal.run(self._session.automatic_updates()))

    def agent_info(self) -> Any:
        return _wrap(self._portal, self._portal.run(self._session.agent_info()))

    def scan_pending(
        self, criteria: str = DEFAULT_CRITERIA, *, searcher: Any = None
    ) -> list[ScanRow]:
        """One Search, every update found as a ScanRow (see `wua.client.scan`)."""
        rows: list[ScanRow] = self._portal.run(
            scan_pending(self._session, criteria, searcher=_unwrap(searcher))
        )
        return rows

    def flush_releases(self) -> None:
        """Send the releases of objects already garbage-collected before going on."""
        self._portal.run(self._session.flush_releases())

    def close(self) -> None:
        try:
            self._portal.run(self._session.close())
        finally:
            self._portal.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def connect(
    host: Any, username: str | None = None, password: Any = None, **options: Any
) -> SyncSession:
    """Open a session to `host` (see `wua.aio.connect` for the options)."""
    portal = _Portal()
    session = build_session(host, username, password, **options)
    try:
        portal.run(session.open())
    except BaseException:
        portal.stop()
        raise
    return SyncSession(session, portal)
