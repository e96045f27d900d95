"""`wua.dcom.uamg`: the parameter codecs derived from the reference signatures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wua.dcom import uamg
from wua.dcom.oaut import InterfacePointer
from wua.errors import ProtocolError
from wua.reference.interfaces import Member, interface, remote_interfaces

E_ACCESSDENIED = 0x80070005

# (interface, member slot, direction, value(s), hex): drive both encode and decode.
VECTORS: list[tuple[str, int, str, Any, str]] = [
    ("IUpdateSearcher", 18, "in", [5, 10], "050000000a000000"),
    (
        "IUpdateSearcher",
        19,
        "in",
        ["IsHidden=1"],
        "000002000a000000140000000a000000" + "IsHidden=1".encode("utf-16-le").hex(),
    ),
    ("ISearchResult", 7, "out", (2, 0), "0200000000000000"),
    ("IUpdate", 24, "out", (True, 0), "ffff000000000000"),  # IsHidden, padded to 4
    # MaxDownloadSize: wReserved, scale, sign, Hi32, Lo64 (454785928 = 0x1B1B7B88)
    ("IUpdate", 31, "out", (Decimal(454785928), 0), "0000000000000000887b1b1b0000000000000000"),
    # LastDeploymentChangeTime 2025-06-10 17:00 = OLE day 45818.708333..., 8-aligned
    ("IUpdate", 30, "out", (dt.datetime(2025, 6, 10, 17), 0), "abaaaaaa565fe64000000000"),
    (
        "IUpdateSession",
        7,
        "out",
        (None, E_ACCESSDENIED),
        "0000020000000000ffffffff0000000005000780",
    ),
]


def _member(name: str, slot: int) -> Member:
    found = interface(name).by_slot(slot)
    assert found is not None
    return found


@pytest.mark.parametrize(("name", "slot", "direction", "value", "hex_"), VECTORS)
def test_vectors(name: str, slot: int, direction: str, value: Any, hex_: str) -> None:
    codec = uamg.codec_for_slot(name, slot)
    data = bytes.fromhex(hex_)
    if direction == "in":
        assert codec.encode_request(value).hex() == hex_
        assert codec.decode_request(data) == value
    else:
        retval, hresult = value
        assert codec.encode_response(retval, hresult).hex() == hex_
        decoded, code = codec.decode_response(data)
        assert code == hresult
        assert decoded == retval or (retval is None and decoded in ("", None))


def test_the_vector_members_are_the_ones_meant() -> None:
    assert _member("IUpdateSearcher", 18).name == "QueryHistory"
    assert _member("IUpdateSearcher", 19).name == "Search"
    assert _member("ISearchResult", 7).name == "ResultCode"
    assert _member("IUpdate", 24).name == "IsHidden"
    assert _member("IUpdateSession", 7).name == "ClientApplicationID"


def test_every_member_of_the_26_interfaces_has_a_codec() -> None:
    count = 0
    for iface in remote_interfaces():
        for member in iface.all_members():
            codec = uamg.codec_for(member)
            assert codec.member == member
            assert uamg.codec_for_slot(iface.name, member.slot).member.slot == member.slot
            count += 1
    assert count > 300


def test_trailing_bytes_are_refused() -> None:
    codec = uamg.codec_for_slot("IUpdateSearcher", 18)
    with pytest.raises(ProtocolError):
        codec.decode_request(bytes.fromhex("050000000a00000000"))


def test_unknown_slot() -> None:
    with pytest.raises(KeyError):
        uamg.codec_for_slot("IUpdateSession", 99)


def _values(type_name: str) -> st.SearchStrategy[Any]:
    if type_name == "BSTR":
        return st.text(max_size=40)
    if type_name in ("LONG",) or type_name.startswith("enum:"):
        return st.integers(-(2**31), 2**31 - 1)
    if type_name in ("ULONG", "LCID", "HWND"):
        return st.integers(0, 2**32 - 1)
    if type_name == "VARIANT_BOOL":
        return st.booleans()
    if type_name == "DATE":
        return st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 1, 1)).map(
            lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
        )
    if type_name == "DECIMAL":
        return st.integers(0, 2**96 - 1).map(Decimal)
    if type_name.endswith("*"):
        return st.one_of(st.none(), st.binary(min_size=1, max_size=64).map(InterfacePointer))
    return st.none()


_RESULTS = [
    (m, m.returns)
    for i in remote_interfaces()
    for m in i.all_members()
    if m.returns is not None and m.returns != "VARIANT"
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_RESULTS).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), _values(pair[1] or ""))
    )
)
def test_results_round_trip(case: tuple[Member, Any]) -> None:
    member, value = case
    codec = uamg.codec_for(member)
    decoded, hresult = codec.decode_response(codec.encode_response(value, 0))
    assert hresult == 0
    if value is None and member.returns == "BSTR":
        assert decoded in (None, "")
    else:
        assert decoded == value
