"""Collections and their enumerators behave like a Python list under any sequence of
operations (hypothesis), and refuse edits when read-only."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator_wua.helpers import CALL, PUT, call, get, items, obj
from wua.emulator.catalog.default import default_catalog
from wua.emulator.wua import EmulatedObject, Enumerator, HostState, activate, invoke
from wua.errors import WuaError

WU_E_INVALIDINDEX = 0x80240007
WU_E_NOT_SUPPORTED = 0x80240037
E_INVALIDARG = 0x80070057
IFACE = "IStringCollection"


def string_collection() -> EmulatedObject:
    return activate(HostState(default_catalog()), "Microsoft.Update.StringColl")


operations = st.one_of(
    st.tuples(st.just("Add"), st.text(max_size=4)),
    st.tuples(st.just("Insert"), st.integers(-2, 8), st.text(max_size=4)),
    st.tuples(st.just("RemoveAt"), st.integers(-2, 8)),
    st.tuples(st.just("Item="), st.integers(-2, 8), st.text(max_size=4)),
    st.tuples(st.just("Clear")),
)


def apply_to_list(model: list[str], op: tuple[object, ...]) -> object:
    """What the operation does to a list: the result, or 'index' when out of range."""
    name = op[0]
    if name == "Add":
        model.append(str(op[1]))
        return len(model) - 1
    if name == "Clear":
        model.clear()
        return None
    index = op[1]
    assert isinstance(index, int)
    limit = len(model) + (1 if name == "Insert" else 0)
    if not 0 <= index < limit:
        return "index"
    if name == "Insert":
        model.insert(index, str(op[2]))
    elif name == "RemoveAt":
        del model[index]
    else:
        model[index] = str(op[2])
    return None


def apply_to_collection(coll: EmulatedObject, op: tuple[object, ...]) -> object:
    name = op[0]
    try:
        if name == "Item=":
            return invoke(coll, IFACE, "Item", PUT, list(op[1:]))
        return invoke(coll, IFACE, str(name), CALL, list(op[1:]))
    except WuaError as exc:
        assert exc.hresult == WU_E_INVALIDINDEX
        return "index"


@settings(max_examples=80, deadline=None)
@given(st.lists(operations, max_size=25))
def test_a_writable_string_collection_is_a_list(ops: list[tuple[object, ...]]) -> None:
    coll = string_collection()
    assert get(coll, IFACE, "ReadOnly") is False
    model: list[str] = []
    for op in ops:
        assert apply_to_collection(coll, op) == apply_to_list(model, op), op
        assert items(coll, IFACE) == model


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.text(max_size=3), max_size=8),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("next"), st.integers(0, 5)),
            st.tuples(st.just("skip"), st.integers(0, 5)),
            st.tuples(st.just("reset")),
            st.tuples(st.just("clone")),
        ),
        max_size=15,
    ),
)
def test_the_enumerator_is_a_cursor(values: list[str], steps: list[tuple[object, ...]]) -> None:
    coll = string_collection()
    for v in values:
        call(coll, IFACE, "Add", v)
    enumerator = get(coll, IFACE, "_NewEnum")
    assert isinstance(enumerator, Enumerator)
    position = 0
    for step in steps:
        if step[0] == "next":
            n = int(str(step[1]))
            fetched = enumerator.next(n)
            assert list(fetched.items) == values[position : position + n]
            assert fetched.complete == (position + n <= len(values))
            position = min(position + n, len(values))
        elif step[0] == "skip":
            n = int(str(step[1]))
            assert enumerator.skip(n) == (position + n <= len(values))
            position = min(position + n, len(values))
        elif step[0] == "reset":
            enumerator.reset()
            position = 0
        else:
            clone = enumerator.clone()
            assert list(clone.next(100).items) == values[position:]
    assert list(enumerator.next(100).items) == values[position:]


def test_an_enumeration_keeps_its_snapshot() -> None:
    coll = string_collection()
    call(coll, IFACE, "Add", "a")
    enumerator = get(coll, IFACE, "_NewEnum")
    call(coll, IFACE, "Add", "b")
    assert isinstance(enumerator, Enumerator)
    assert enumerator.next(5).items == ("a",)


@pytest.mark.parametrize("method", ["next", "skip"])
def test_negative_enumerator_counts_are_invalid(method: str) -> None:
    enumerator = Enumerator(("a",))
    with pytest.raises(WuaError) as caught:
        getattr(enumerator, method)(-1)
    assert caught.value.hresult == E_INVALIDARG


def kb_ids() -> EmulatedObject:
    state = HostState(default_catalog())
    session = activate(state, "Microsoft.Update.Session")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    result = obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0"))
    update = obj(get(obj(get(result, "ISearchResult", "Updates")), "IUpdateCollection", "Item", 0))
    return obj(get(update, "IUpdate", "KBArticleIDs"))


EDITS: list[tuple[str, object, list[object]]] = [
    ("Add", CALL, ["1"]),
    ("Clear", CALL, []),
    ("Insert", CALL, [0, "1"]),
    ("RemoveAt", CALL, [0]),
    ("Item", PUT, [0, "1"]),
]


@pytest.mark.parametrize(("member", "kind", "args"), EDITS)
def test_a_collection_the_host_returns_is_read_only(
    member: str, kind: object, args: list[object]
) -> None:
    coll = kb_ids()
    before = items(coll, IFACE)
    assert get(coll, IFACE, "ReadOnly") is True
    with pytest.raises(WuaError) as caught:
        invoke(coll, IFACE, member, kind, args)  # type: ignore[arg-type]
    assert caught.value.hresult == WU_E_NOT_SUPPORTED
    assert items(coll, IFACE) == before


def test_copy_of_a_read_only_string_collection_is_writable() -> None:
    coll = kb_ids()
    copy = obj(call(coll, IFACE, "Copy"))
    assert get(copy, IFACE, "ReadOnly") is False
    assert items(copy, IFACE) == items(coll, IFACE)
    call(copy, IFACE, "Add", "KB0000000")
    assert items(copy, IFACE)[-1] == "KB0000000"
    assert "KB0000000" not in items(coll, IFACE)


@pytest.mark.parametrize("index", [-1, 1_000, 2**31 - 1])
def test_item_out_of_range_is_invalid_index(index: int) -> None:
    with pytest.raises(WuaError) as caught:
        get(kb_ids(), IFACE, "Item", index)
    assert caught.value.hresult == WU_E_INVALIDINDEX


def test_an_activated_update_collection_takes_updates_from_a_search() -> None:
    state = HostState(default_catalog())
    session = activate(state, "Microsoft.Update.Session")
    searcher = obj(call(session, "IUpdateSession", "CreateUpdateSearcher"))
    found = obj(
        get(
            obj(call(searcher, "IUpdateSearcher", "Search", "IsInstalled=0")),
            "ISearchResult",
            "Updates",
        )
    )
    mine = activate(state, "Microsoft.Update.UpdateColl")
    first, second = (get(found, "IUpdateCollection", "Item", i) for i in (0, 1))
    assert call(mine, "IUpdateCollection", "Add", first) == 0
    call(mine, "IUpdateCollection", "Insert", 0, second)
    assert items(mine, "IUpdateCollection") == [second, first]
    with pytest.raises(WuaError):
        invoke(mine, "IUpdateCollection", "Copy", CALL, [])  # not callable remotely
    assert get(mine, "IUpdateCollection", "Count") == 2
