"""Every MS-DCOM decoder under fuzz, each with valid seed encodings to mutate."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.dcom.test_objref import DSA_VECTORS, OBJREF_VECTORS, h
from wua.dcom.activation import properties as props
from wua.dcom.activation.blob import CUSTOM_HEADER, ActivationBlob
from wua.dcom.activation.builders import (
    ActivatedInterface,
    ActivationResult,
    read_reply,
    read_request,
    reply_blob,
    request_blob,
)
from wua.dcom.bindings import DUALSTRINGARRAY, DualStringArray, SecurityBinding, StringBinding
from wua.dcom.objref import STDOBJREF, ObjRefStandard, StdObjRef, decode_objref
from wua.dcom.orpc import (
    MINTERFACEPOINTER,
    ORPCTHAT,
    ORPCTHIS,
    ComVersion,
    MInterfacePointer,
    OrpcExtent,
    OrpcExtentArray,
    OrpcThat,
    OrpcThis,
)
from wua.dcom.stubs import classfactory as cf
from wua.dcom.stubs import exporter as ex
from wua.dcom.stubs import remunknown as ru
from wua.dcom.stubs import scm
from wua.dcom.stubs.codec import Stub
from wua.rpc import ndr

VECTORS = Path(__file__).resolve().parents[1] / "data" / "vectors"


def golden(name: str) -> bytes:
    return bytes.fromhex((VECTORS / name).read_text().replace("\n", ""))


REQUEST = golden("kerberos135_remotecreateinstance_request.hex")
RESPONSE = golden("kerberos135_remotecreateinstance_response.hex")
GOLDEN_OBJREF = RESPONSE[264 : 264 + 174]

_ID = uuid.UUID("11111111-2222-3333-4444-555555555555")
_BINDINGS = DualStringArray(
    (StringBinding.tcp("127.0.0.2", 49152), StringBinding.tcp("HOST")),
    (SecurityBinding(10, ""), SecurityBinding(9, "host/x")),
)
_STD = StdObjRef(0, 5, 0x1122334455667788, 0x99, _ID)
_OBJREF = ObjRefStandard(_ID, _STD, _BINDINGS)
_MIP = MInterfacePointer.of(_OBJREF)
_THIS = OrpcThis(flags=1, cid=_ID, extensions=OrpcExtentArray.of([OrpcExtent.of(_ID, b"extent")]))
_THAT = OrpcThat(flags=1)
_RESULT = ActivationResult(
    [ActivatedInterface(_ID, 0, _OBJREF), ActivatedInterface(_ID, 0x80004002, None)],
    7,
    _BINDINGS,
    _ID,
    6,
    ComVersion(),
)
_REQUEST_BLOB = request_blob(_ID, [_ID, _ID], server_name="srv")
_REPLY_BLOB = reply_blob(_RESULT)

STUB_SAMPLES: list[Stub] = [
    scm.RemoteCreateInstanceRequest.decode(REQUEST),
    scm.RemoteCreateInstanceResponse.decode(RESPONSE),
    scm.RemoteGetClassObjectRequest(_THIS, _MIP),
    scm.RemoteGetClassObjectResponse(_THAT, _MIP, 0),
    ex.ResolveOxidRequest(7, [7, 8]),
    ex.ResolveOxidResponse(_BINDINGS, _ID, 4),
    ex.ResolveOxid2Request(7),
    ex.ResolveOxid2Response(_BINDINGS, _ID, 4),
    ex.SimplePingRequest(9),
    ex.StatusResponse(0),
    ex.ComplexPingRequest(0, 1, [1, 2], [3]),
    ex.ComplexPingResponse(77, 2),
    ex.ServerAlive2Response(ComVersion(), _BINDINGS),
    ru.RemQueryInterfaceRequest(_THIS, _ID, 5, [_ID, _ID]),
    ru.RemQueryInterfaceResponse(_THAT, [ru.RemQiResult(0, _STD)]),
    ru.RemAddRefRequest(_THIS, [ru.RemInterfaceRef(_ID, 5)]),
    ru.RemAddRefResponse(_THAT, [0]),
    ru.RemReleaseRequest(_THIS, [ru.RemInterfaceRef(_ID, 5, 1)]),
    ru.OrpcStatusResponse(_THAT, 0),
    ru.RemQueryInterface2Request(_THIS, _ID, [_ID]),
    ru.RemQueryInterface2Response(_THAT, [0, 1], [_MIP, None]),
    cf.CreateInstanceRequest(_THIS, _ID),
    cf.CreateInstanceResponse(_THAT, _MIP),
    cf.LockServerRequest(_THIS, 1),
]


def _ndr(kind: ndr.NdrType[Any]) -> Callable[[bytes], Any]:
    return lambda data: ndr.decode(kind, data)


def _serialized(kind: ndr.NdrType[Any]) -> Callable[[bytes], Any]:
    return lambda data: ndr.deserialize(kind, data)


def _pointer_reader(read: Callable[[MInterfacePointer], Any]) -> Callable[[bytes], Any]:
    return lambda data: read(ndr.decode(MINTERFACEPOINTER, data))


_PROPERTY_SAMPLES = [p for p in (*_REQUEST_BLOB.properties, *_REPLY_BLOB.properties)]

TARGETS: dict[str, tuple[Callable[[bytes], Any], tuple[bytes, ...]]] = {
    "DUALSTRINGARRAY": (DualStringArray.decode, tuple(h(x) for _, x in DSA_VECTORS)),
    "DUALSTRINGARRAY.ndr": (_ndr(DUALSTRINGARRAY), (ndr.encode(DUALSTRINGARRAY, _BINDINGS),)),
    "STDOBJREF": (STDOBJREF.decode, (STDOBJREF.encode(_STD),)),
    "OBJREF": (decode_objref, (GOLDEN_OBJREF, *(h(x) for _, x in OBJREF_VECTORS))),
    "ORPCTHIS": (_ndr(ORPCTHIS), (ndr.encode(ORPCTHIS, _THIS), REQUEST[:32])),
    "ORPCTHAT": (_ndr(ORPCTHAT), (ndr.encode(ORPCTHAT, _THAT), RESPONSE[:8])),
    "CustomHeader": (_serialized(CUSTOM_HEADER), (REQUEST[104 : 104 + 192],)),
    "ActivationBlob": (
        ActivationBlob.decode,
        (_REQUEST_BLOB.encode(), _REPLY_BLOB.encode()),
    ),
    "activation request": (
        _pointer_reader(read_request),
        (
            ndr.encode(
                MINTERFACEPOINTER, scm.RemoteCreateInstanceRequest.decode(REQUEST).pActProperties
            ),
        ),
    ),
    "activation reply": (
        _pointer_reader(read_reply),
        (
            ndr.encode(
                MINTERFACEPOINTER, scm.RemoteCreateInstanceResponse.decode(RESPONSE).ppActProperties
            ),
        ),
    ),
}
for _sample in _PROPERTY_SAMPLES:
    _clsid, _kind = props.property_type(_sample)
    TARGETS[_kind.name] = (_serialized(_kind), (ndr.serialize(_kind, _sample),))
for _stub in STUB_SAMPLES:
    TARGETS[_stub.CODEC.name] = (type(_stub).decode, (_stub.encode(),))
