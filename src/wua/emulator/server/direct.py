"""Direct vtable calls on the WUA interfaces (opnum 7 and up), through `wua.dcom.uamg`.

The same model members IDispatch reaches, but with NDR parameters instead of VARIANTs
and the HRESULT as the call's result (no EXCEPINFO): a restricted member answers
E_ACCESSDENIED directly.
"""

from __future__ import annotations

import uuid
from typing import Any

from wua.dcom import uamg
from wua.dcom.oaut import InterfacePointer, Variant
from wua.emulator.server.framing import EMPTY_ORPCTHAT
from wua.emulator.server.runtime import HostRuntime
from wua.emulator.wua import EmulatedObject, invoke, member_for_slot
from wua.errors import WuaError
from wua.reference.interfaces import interface
from wua.rpc.channel import RpcFault
from wua.rpc.faults import NCA_S_OP_RNG_ERROR


async def call_slot(
    runtime: HostRuntime,
    obj: EmulatedObject,
    interface_name: str,
    opnum: int,
    stub: bytes,
    offset: int,
) -> bytes:
    try:
        member = member_for_slot(interface_name, opnum)
    except WuaError:
        raise RpcFault(NCA_S_OP_RNG_ERROR) from None
    codec = uamg.codec_for(member)
    raw = codec.decode_request(stub, offset)
    try:
        args = [_argument(runtime, value) for value in raw]
        await runtime.hold(obj, member)
        result = invoke(obj, interface_name, member.name, member.kind, args)
    except WuaError as exc:
        return EMPTY_ORPCTHAT + codec.encode_response(None, exc.hresult)
    return EMPTY_ORPCTHAT + codec.encode_response(_result(runtime, member.returns, result), 0)


def _argument(runtime: HostRuntime, value: Any) -> object:
    if isinstance(value, InterfacePointer):
        return runtime.marshaler.resolve(value)
    if isinstance(value, Variant):
        return runtime.marshaler.argument(value)
    return value


def _result(runtime: HostRuntime, wire_type: str | None, value: object) -> object:
    if wire_type is None:
        return None
    if wire_type.endswith("*"):
        declared = wire_type[:-1]
        iid = None if declared == "IUnknown" else uuid.UUID(interface(declared).iid)
        return runtime.marshaler.interface_pointer(value, runtime.now(), iid)
    if wire_type == "VARIANT":
        return runtime.marshaler.any_variant(value, runtime.now())
    return value
