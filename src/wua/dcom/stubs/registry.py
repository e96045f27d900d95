"""(interface IID, opnum) -> the request and reply stub classes, for dispatch.

Built from the names in `wua.dcom.interfaces`, so the numbers live in one table and a
server looks a call up with the IID it bound and the opnum in the request PDU.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType

from wua.dcom import interfaces as ids
from wua.dcom.stubs import classfactory as cf
from wua.dcom.stubs import exporter as ex
from wua.dcom.stubs import remunknown as ru
from wua.dcom.stubs import scm
from wua.dcom.stubs.codec import Stub

StubPair = tuple[type[Stub], type[Stub]]

_BY_NAME: dict[str, dict[str, StubPair]] = {
    ids.IREMOTESCMACTIVATOR.name: {
        "RemoteGetClassObject": (scm.RemoteGetClassObjectRequest, scm.RemoteGetClassObjectResponse),
        "RemoteCreateInstance": (scm.RemoteCreateInstanceRequest, scm.RemoteCreateInstanceResponse),
    },
    ids.IOBJECTEXPORTER.name: {
        "ResolveOxid": (ex.ResolveOxidRequest, ex.ResolveOxidResponse),
        "SimplePing": (ex.SimplePingRequest, ex.StatusResponse),
        "ComplexPing": (ex.ComplexPingRequest, ex.ComplexPingResponse),
        "ServerAlive": (ex.EmptyRequest, ex.StatusResponse),
        "ResolveOxid2": (ex.ResolveOxid2Request, ex.ResolveOxid2Response),
        "ServerAlive2": (ex.EmptyRequest, ex.ServerAlive2Response),
    },
    ids.IREMUNKNOWN.name: {
        "RemQueryInterface": (ru.RemQueryInterfaceRequest, ru.RemQueryInterfaceResponse),
        "RemAddRef": (ru.RemAddRefRequest, ru.RemAddRefResponse),
        "RemRelease": (ru.RemReleaseRequest, ru.OrpcStatusResponse),
    },
    ids.ICLASSFACTORY.name: {
        "CreateInstance": (cf.CreateInstanceRequest, cf.CreateInstanceResponse),
        "LockServer": (cf.LockServerRequest, ru.OrpcStatusResponse),
    },
}
_BY_NAME[ids.IREMUNKNOWN2.name] = {
    **_BY_NAME[ids.IREMUNKNOWN.name],
    "RemQueryInterface2": (ru.RemQueryInterface2Request, ru.RemQueryInterface2Response),
}

STUBS: Mapping[tuple[uuid.UUID, int], StubPair] = MappingProxyType(
    {
        (interface.iid, interface.opnum(method)): pair
        for interface in ids.INTERFACES
        for method, pair in _BY_NAME[interface.name].items()
    }
)
