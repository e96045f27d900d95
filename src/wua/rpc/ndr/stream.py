"""The two cursors every NDR type works on: an `Encoder` that appends to a buffer and a
`Decoder` that walks one.

Both carry the per-message state NDR needs beyond the bytes themselves: the queue of
deferred pointer referents of the construct being written or read, the referent-ID
counter, and the full-pointer tables (full pointers are deduplicated across the whole
message, MS-RPCE 2.2.5.3.3 / C706 14.3.11.3).

Decoding embedded pointers is the awkward part of NDR: a pointer's referent is only on
the wire after the enclosing top-level construct, when the value holding the pointer has
already been built. A pointer read therefore returns a `Pending` placeholder that the
container binds to its slot (`Pending.bind`); when the referent has been read the slot is
filled in. Callers never see a `Pending`: every slot is filled before `decode` returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wua.errors import ProtocolError

if TYPE_CHECKING:
    from wua.rpc.ndr.base import NdrType

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "FIRST_REFERENT_ID",
    "Decoder",
    "Encoder",
    "Pending",
    "fail",
    "rewrap",
]

#: Windows numbers referent IDs from 0x00020000 upwards in steps of 4; peers accept any
#: non-zero value, we mimic Windows so captures look familiar.
FIRST_REFERENT_ID = 0x00020000

#: How many pointer levels deep a decoder follows referents before it calls the input
#: hostile (a VARIANT can hold a VARIANT by reference, and so on); each level costs
#: Python stack, and real WUA traffic nests a handful of levels at most.
DEFAULT_MAX_DEPTH = 64


def fail(message: str, structure: str = "", offset: int | None = None) -> ProtocolError:
    """A ProtocolError whose bare message stays available for re-wrapping with a path."""
    err = ProtocolError(message, structure=structure, offset=offset)
    err.reason = message  # type: ignore[attr-defined]
    return err


def rewrap(err: ProtocolError, prefix: str, offset: int | None = None) -> ProtocolError:
    """The same error with `prefix` prepended to its structure path (outermost first);
    `offset` is used if the error has none."""
    reason: str = getattr(err, "reason", err.detail or "")
    path = f"{prefix}.{err.structure}" if err.structure else prefix
    return fail(reason, path, err.offset if err.offset is not None else offset)


class Pending:
    """A pointer referent not read yet, and the slots that wait for it."""

    __slots__ = ("done", "slots", "value", "where")

    def __init__(self) -> None:
        self.slots: list[tuple[Any, Any]] = []
        self.done = False
        self.value: Any = None
        #: "Struct.field" of the pointer, for error paths of its referent.
        self.where = ""

    def bind(self, container: Any, key: Any) -> None:
        """Fill `container[key]` (a list) or attribute `key` of `container` when read.

        A full pointer may name a referent that was read already: fill at once then.
        """
        if self.done:
            _fill(container, key, self.value)
        else:
            self.slots.append((container, key))

    def resolve(self, value: Any) -> None:
        if isinstance(value, Pending):
            # A pointer to a pointer: we are done when the inner referent is.
            value.bind(self, None)
            return
        self.done = True
        self.value = value
        for container, key in self.slots:
            _fill(container, key, value)
        self.slots = []


def _fill(container: Any, key: Any, value: Any) -> None:
    if isinstance(container, list):
        container[key] = value
    elif isinstance(container, Pending):
        container.resolve(value)
    else:
        object.__setattr__(container, key, value)


class Encoder:
    """Appends NDR32 little-endian representations to `buf`.

    Alignment is relative to the start of `buf`, which must be the start of the NDR
    stream (the stub, or the object buffer of a serialized type).
    """

    __slots__ = ("buf", "deferred", "full_ids", "next_id")

    def __init__(self, first_referent_id: int = FIRST_REFERENT_ID) -> None:
        self.buf = bytearray()
        self.deferred: list[tuple[NdrType[Any], Any]] = []
        self.full_ids: dict[int, tuple[int, Any]] = {}
        self.next_id = first_referent_id

    def align(self, alignment: int) -> None:
        pad = -len(self.buf) & (alignment - 1)
        if pad:
            self.buf += bytes(pad)

    def new_referent_id(self) -> int:
        rid = self.next_id
        self.next_id = (rid + 4) & 0xFFFFFFFF or FIRST_REFERENT_ID
        return rid

    def flush(self) -> None:
        """Write the queued referents, each followed at once by its own referents.

        NDR defers an embedded pointer's referent to the end of the enclosing construct;
        a referent is itself a construct, so its referents come right after it and
        before the next queued referent (depth first).
        """
        pending, self.deferred = self.deferred, []
        for target, value in pending:
            target.write(self, value)
            if self.deferred:
                self.flush()


class Decoder:
    """Reads NDR32 little-endian representations from `data`, starting at `pos`."""

    __slots__ = ("data", "deferred", "depth", "end", "full_refs", "max_depth", "pos")

    def __init__(self, data: bytes, pos: int = 0, *, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data)
        self.deferred: list[tuple[NdrType[Any], Pending]] = []
        self.full_refs: dict[int, Any] = {}
        self.depth = 0
        self.max_depth = max_depth

    def align(self, alignment: int) -> None:
        self.pos = (self.pos + alignment - 1) & -alignment

    def need(self, count: int, structure: str) -> int:
        """The current position, after checking that `count` bytes are there."""
        pos = self.pos
        if count < 0 or pos + count > self.end:
            raise fail(f"needs {count} bytes, {max(self.end - pos, 0)} left", structure, pos)
        return pos

    def settle(self, value: Any) -> Any:
        """Read the queued referents now and return `value` with its slot filled.

        For types that are only ever pointer referents (a VARIANT, a SAFEARRAY): their
        own referents come right after them, so they may read them at once and hand
        back a finished value instead of a `Pending`.
        """
        if isinstance(value, Pending):
            box: list[Any] = [None]
            value.bind(box, 0)
            self.flush()
            return box[0]
        self.flush()
        return value

    def flush(self) -> None:
        """Read the queued referents depth first (see `Encoder.flush`) and fill slots."""
        pending, self.deferred = self.deferred, []
        if not pending:
            return
        self.depth += 1
        if self.depth > self.max_depth:
            raise fail(f"pointers nested deeper than {self.max_depth}", "", self.pos)
        for target, cell in pending:
            try:
                value = target.read(self)
                cell.resolve(value)  # before the inner flush: a pointer-to-pointer hands over
                if self.deferred:
                    self.flush()
            except ProtocolError as err:
                if not cell.where:
                    raise
                reason: str = getattr(err, "reason", err.detail or "")
                raise fail(reason, f"{cell.where}->{err.structure}", err.offset) from None
        self.depth -= 1
