"""The DCOM infrastructure interfaces: UUIDs, versions and opnums in one table.

Client and emulator both dispatch by (interface UUID, opnum); keeping the numbers here
means a typo shows up as a mismatch with the golden vectors instead of as a silent
misroute. `orpc` says whether calls carry ORPCTHIS/ORPCTHAT: the object exporter
(MS-DCOM 3.1.2.5.1) is a plain RPC interface, everything else is ORPC.

Also here: the CLSIDs that name activation property sets and the activation
properties objects themselves (MS-DCOM 1.9).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from wua.reference.interfaces import IDISPATCH_IID, IENUMVARIANT_IID, IUNKNOWN_IID


@dataclass(frozen=True)
class DcomInterface:
    name: str
    iid: uuid.UUID
    version: tuple[int, int]
    opnums: Mapping[str, int]
    orpc: bool

    def opnum(self, method: str) -> int:
        return self.opnums[method]

    def method(self, opnum: int) -> str | None:
        """The method name for an opnum, or None (the caller faults with nca_op_rng_error)."""
        for name, number in self.opnums.items():
            if number == opnum:
                return name
        return None


def _interface(name: str, iid: str, opnums: dict[str, int], *, orpc: bool = True) -> DcomInterface:
    return DcomInterface(name, uuid.UUID(iid), (0, 0), MappingProxyType(opnums), orpc)


IREMOTESCMACTIVATOR = _interface(
    "IRemoteSCMActivator",
    "000001a0-0000-0000-c000-000000000046",
    {"RemoteGetClassObject": 3, "RemoteCreateInstance": 4},
)
IOBJECTEXPORTER = _interface(
    "IObjectExporter",
    "99fcfec4-5260-101b-bbcb-00aa0021347a",
    {
        "ResolveOxid": 0,
        "SimplePing": 1,
        "ComplexPing": 2,
        "ServerAlive": 3,
        "ResolveOxid2": 4,
        "ServerAlive2": 5,
    },
    orpc=False,
)
IREMUNKNOWN = _interface(
    "IRemUnknown",
    "00000131-0000-0000-c000-000000000046",
    {"RemQueryInterface": 3, "RemAddRef": 4, "RemRelease": 5},
)
IREMUNKNOWN2 = _interface(
    "IRemUnknown2",
    "00000143-0000-0000-c000-000000000046",
    {"RemQueryInterface": 3, "RemAddRef": 4, "RemRelease": 5, "RemQueryInterface2": 6},
)
ICLASSFACTORY = _interface(
    "IClassFactory",
    "00000001-0000-0000-c000-000000000046",
    {"CreateInstance": 3, "LockServer": 4},
)

INTERFACES: tuple[DcomInterface, ...] = (
    IREMOTESCMACTIVATOR,
    IOBJECTEXPORTER,
    IREMUNKNOWN,
    IREMUNKNOWN2,
    ICLASSFACTORY,
)
BY_IID: Mapping[uuid.UUID, DcomInterface] = MappingProxyType({i.iid: i for i in INTERFACES})

# The COM interfaces every DCOM peer knows, as UUIDs; the reference holds their IIDs.
IID_NULL = uuid.UUID(int=0)
IID_IUNKNOWN = uuid.UUID(IUNKNOWN_IID)
IID_IDISPATCH = uuid.UUID(IDISPATCH_IID)
IID_IENUMVARIANT = uuid.UUID(IENUMVARIANT_IID)
IID_ITYPEINFO = uuid.UUID("00020401-0000-0000-c000-000000000046")  # MS-OAUT 3.7

# Activation properties objects (carried as OBJREF_CUSTOM) and the property sets
# inside them; the CustomHeader lists each set by these CLSIDs.
IID_IACTIVATIONPROPERTIESIN = uuid.UUID("000001a2-0000-0000-c000-000000000046")
IID_IACTIVATIONPROPERTIESOUT = uuid.UUID("000001a3-0000-0000-c000-000000000046")
CLSID_ACTIVATIONPROPERTIESIN = uuid.UUID("00000338-0000-0000-c000-000000000046")
CLSID_ACTIVATIONPROPERTIESOUT = uuid.UUID("00000339-0000-0000-c000-000000000046")
CLSID_SPECIALSYSTEMPROPERTIES = uuid.UUID("000001b9-0000-0000-c000-000000000046")
CLSID_INSTANTIATIONINFO = uuid.UUID("000001ab-0000-0000-c000-000000000046")
CLSID_ACTIVATIONCONTEXTINFO = uuid.UUID("000001a5-0000-0000-c000-000000000046")
CLSID_SECURITYINFO = uuid.UUID("000001a6-0000-0000-c000-000000000046")
CLSID_SERVERLOCATIONINFO = uuid.UUID("000001a4-0000-0000-c000-000000000046")
CLSID_SCMREQUESTINFO = uuid.UUID("000001aa-0000-0000-c000-000000000046")
CLSID_INSTANCEINFO = uuid.UUID("000001ad-0000-0000-c000-000000000046")
CLSID_PROPSOUTINFO = uuid.UUID("00000339-0000-0000-c000-000000000046")
CLSID_SCMREPLYINFO = uuid.UUID("000001b6-0000-0000-c000-000000000046")
CLSID_CONTEXTMARSHALER = uuid.UUID("0000033b-0000-0000-c000-000000000046")
IID_ICONTEXT = uuid.UUID("000001c0-0000-0000-c000-000000000046")
