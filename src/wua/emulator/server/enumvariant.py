"""IEnumVARIANT (MS-OAUT 3.3.4) over the enumerator a collection's `_NewEnum` returns.

Next answers `[size_is(celt), length_is(*pCeltFetched)]`: the array's maximum count is
what was asked, its actual count what was fetched, and S_FALSE says fewer remained.
"""

from __future__ import annotations

from wua.dcom import oaut
from wua.emulator.server.framing import read_params, reply
from wua.emulator.server.runtime import HostRuntime
from wua.emulator.wua import Enumerator
from wua.errors import WuaError
from wua.rpc import ndr
from wua.rpc.channel import RpcFault
from wua.rpc.faults import NCA_S_OP_RNG_ERROR

S_FALSE = 1
# A Next larger than this is answered with at most this many items (and S_FALSE):
# bounds the reply a hostile `celt` can ask for.
MAX_FETCH = 4096


def call_enumerator(
    runtime: HostRuntime, cursor: Enumerator, opnum: int, stub: bytes, offset: int
) -> bytes:
    now = runtime.now()
    if opnum == 3:
        celt = read_params(oaut.NEXT_REQUEST, stub, offset).celt
        try:
            fetched = cursor.next(min(celt, MAX_FETCH))
        except WuaError as exc:
            return reply(
                oaut.NEXT_RESPONSE, rgVar=ndr.Varying([], celt), pCeltFetched=0, hresult=exc.hresult
            )
        items = [runtime.marshaler.any_variant(item, now) for item in fetched.items]
        complete = fetched.complete and len(items) == celt
        return reply(
            oaut.NEXT_RESPONSE,
            rgVar=ndr.Varying(items, celt),
            pCeltFetched=len(items),
            hresult=0 if complete else S_FALSE,
        )
    if opnum == 4:
        celt = read_params(oaut.SKIP_REQUEST, stub, offset).celt
        return reply(oaut.SKIP_RESPONSE, hresult=0 if cursor.skip(celt) else S_FALSE)
    if opnum == 5:
        read_params(oaut.RESET_REQUEST, stub, offset)
        cursor.reset()
        return reply(oaut.RESET_RESPONSE, hresult=0)
    if opnum == 6:
        read_params(oaut.CLONE_REQUEST, stub, offset)
        pointer = runtime.marshaler.interface_pointer(cursor.clone(), now)
        return reply(oaut.CLONE_RESPONSE, ppEnum=pointer, hresult=0)
    raise RpcFault(NCA_S_OP_RNG_ERROR)
