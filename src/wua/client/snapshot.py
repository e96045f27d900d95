"""Reading a chosen set of fields at once, into dicts or dataclasses, and making them JSON.

Fields may be dotted paths (`identity.update_id`, `installation_behavior.reboot_behavior`)
so one call describes a whole row; every path is read concurrently, sharing the
intermediate objects, because at 20 ms round trip the latency, not the bytes, is the cost.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from wua.client.objects import RemoteObject

Row = TypeVar("Row")


async def read_paths(obj: RemoteObject, paths: Iterable[str]) -> dict[str, Any]:
    """{path: value} for dotted attribute paths, each intermediate object read once."""
    wanted = list(paths)
    heads: dict[str, list[str]] = {}
    for path in wanted:
        head, _, rest = path.partition(".")
        heads.setdefault(head, [])
        if rest:
            heads[head].append(rest)

    async def one(head: str, rests: list[str]) -> tuple[str, Any]:
        value = await obj.get(head)
        if not rests:
            return head, value
        if value is None:
            return head, {rest: None for rest in rests}
        return head, await read_paths(value, rests)

    found = dict(await asyncio.gather(*(one(h, r) for h, r in heads.items())))
    out: dict[str, Any] = {}
    for path in wanted:
        head, _, rest = path.partition(".")
        out[path] = found[head][rest] if rest else found[head]
    return out


async def read_into(
    obj: RemoteObject, row_type: type[Row], paths: dict[str, str] | None = None
) -> Row:
    """A dataclass instance whose fields are read from `obj` (field name -> path; by
    default the field's own name)."""
    if not dataclasses.is_dataclass(row_type):
        raise TypeError(f"{row_type.__name__} is not a dataclass")
    names = [f.name for f in dataclasses.fields(row_type)]
    mapping = {name: (paths or {}).get(name, name) for name in names}
    values = await read_paths(obj, mapping.values())
    return row_type(**{name: values[path] for name, path in mapping.items()})


def jsonable(value: Any) -> Any:
    """Plain JSON types: enums by name, datetimes in ISO 8601 (UTC), Decimals as ints when
    whole, lists and dicts recursively; remote objects are not data and are refused."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} is a remote object, not data: name a field of it")
