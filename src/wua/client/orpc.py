"""ORPC call bodies as the client writes and reads them: ORPCTHIS + [in] parameters out,
ORPCTHAT + [out] parameters back, and the HRESULTs of IDispatch::Invoke made into errors.

No I/O: `RemoteCalls` (the session) moves the bytes. Parameters are decoded in place
after the ORPCTHAT because NDR alignment counts from the start of the stub.
"""

from __future__ import annotations

import uuid
from typing import Any

from wua.dcom.orpc import ORPCTHAT, ORPCTHIS, OrpcThis, check_counts
from wua.errors import WuaError, error_for
from wua.reference.hresults import DISP_E_EXCEPTION
from wua.rpc import ndr

_THIS = ndr.Params("ORPCTHIS", [("orpcthis", ndr.Ref(ORPCTHIS))])
_THAT = ndr.Ref(ORPCTHAT)


def request_stub(params: ndr.Params, values: Any, cid: uuid.UUID) -> bytes:
    """ORPCTHIS (5.7, no extensions: 32 bytes, so the parameters stay 8-aligned) + params."""
    head = ndr.encode(_THIS, _THIS(orpcthis=OrpcThis(cid=cid)))
    return head + ndr.encode(params, values)


def read_reply(params: ndr.Params, stub: bytes) -> Any:
    """The [out] parameters after the ORPCTHAT; nothing may be left over."""
    that, offset = ndr.decode_prefix(_THAT, stub, 0)
    check_counts(that, "ORPCTHAT")
    record, end = ndr.decode_prefix(params, stub, offset)
    if end != len(stub):
        raise ndr.fail(f"{len(stub) - end} bytes left after the results", params.name, end)
    return record


def invoke_error(hresult: int, excepinfo: Any, *, host: str, what: str) -> WuaError:
    """The exception of a failed Invoke: with DISP_E_EXCEPTION the real HRESULT is
    EXCEPINFO.scode (MS-OAUT 3.1.4.4.4), with its description when the host gave one."""
    if hresult == DISP_E_EXCEPTION and excepinfo is not None and excepinfo.scode:
        detail = excepinfo.bstrDescription or None
        message = f"{what}: {detail}" if detail else what
        return error_for(excepinfo.scode & 0xFFFFFFFF, message, host=host, stage="call")
    return error_for(hresult & 0xFFFFFFFF, what, host=host, stage="call")
