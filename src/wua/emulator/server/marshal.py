"""Python values of the WUA model <-> VARIANTs and interface pointers on the wire.

The model (`wua.emulator.wua`) speaks Python: str, int, bool, IntEnum, datetime,
Decimal, emulated objects. IDispatch carries VARIANTs and a direct call NDR values
whose interface pointers are OBJREFs; this module is the one place that turns one into
the other, exporting objects through the host's `ObjectTable` as it goes (a returned
object gets an OID and IPID, an object passed in must be one of ours).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from wua.dcom.bindings import DualStringArray
from wua.dcom.interfaces import IID_IDISPATCH, IID_IUNKNOWN
from wua.dcom.oaut import VT_ARRAY, VT_BYREF, InterfacePointer, SafeArray, Variant, VarType
from wua.dcom.oaut.typed import typed_variant, vartype_for
from wua.dcom.objref import ObjRefStandard, StdObjRef, decode_objref
from wua.emulator.server.objects import PUBLIC_REFS_PER_MARSHAL, ObjectTable
from wua.emulator.wua import Enumerator
from wua.errors import ProtocolError, error_for
from wua.reference.hresults import DISP_E_TYPEMISMATCH, E_INVALIDARG

_I4_VTS = {
    VarType.VT_I1,
    VarType.VT_I2,
    VarType.VT_I4,
    VarType.VT_I8,
    VarType.VT_INT,
    VarType.VT_UI1,
    VarType.VT_UI2,
    VarType.VT_UI4,
    VarType.VT_UI8,
    VarType.VT_UINT,
}


@dataclass(frozen=True)
class Marshaler:
    """Exports and resolves objects of one object exporter (one OXID)."""

    table: ObjectTable
    oxid: int
    resolver: DualStringArray

    def standard(
        self, target: object, iid: uuid.UUID, now: float, refs: int = PUBLIC_REFS_PER_MARSHAL
    ) -> ObjRefStandard:
        """An OBJREF_STANDARD for `iid` of `target`, carrying `refs` fresh public refs."""
        exported = self.table.export(target, iid, now, refs)
        std = StdObjRef(
            flags=0, public_refs=refs, oxid=self.oxid, oid=exported.oid, ipid=exported.ipid
        )
        return ObjRefStandard(iid, std, self.resolver)

    def objref(self, target: object, iid: uuid.UUID, now: float) -> bytes:
        return self.standard(target, iid, now).encode()

    def interface_pointer(
        self, target: object | None, now: float, iid: uuid.UUID | None = None
    ) -> InterfacePointer | None:
        """An object result as an interface pointer: `iid` (a vtable call's declared
        type), else IDispatch for WUA objects (a VT_DISPATCH) and IUnknown for the
        enumerator `_NewEnum` hands out (a VT_UNKNOWN)."""
        if target is None:
            return None
        if iid is None:
            iid = IID_IUNKNOWN if isinstance(target, Enumerator) else IID_IDISPATCH
        return InterfacePointer(self.objref(target, iid, now))

    def result_variant(self, wire_type: str | None, value: object, now: float) -> Variant:
        """A model result as the VARIANT IDispatch::Invoke answers with."""
        if wire_type is None:
            return Variant(VarType.VT_EMPTY)
        vt = vartype_for(wire_type)
        if vt in (VarType.VT_UNKNOWN, VarType.VT_DISPATCH):
            return Variant(vt, self.interface_pointer(value, now))
        if vt == VarType.VT_BSTR or (vt != VarType.VT_VARIANT and value is not None):
            return typed_variant(wire_type, value)  # an absent BSTR is a NULL BSTR
        return self.any_variant(value, now)

    def any_variant(self, value: object, now: float) -> Variant:
        """A VARIANT-typed value (or a scalar whose Python type says its VARTYPE)."""
        if isinstance(value, Variant):
            return value
        if isinstance(value, IntEnum):
            return Variant(VarType.VT_I4, int(value))
        if isinstance(value, bytes):
            return Variant(VT_ARRAY | VarType.VT_UI1, SafeArray(VarType.VT_UI1, tuple(value)))
        if isinstance(value, Enumerator):
            return Variant(VarType.VT_UNKNOWN, self.interface_pointer(value, now))
        if isinstance(value, dt.datetime | Decimal | str | bool | int | float) or value is None:
            return Variant.of(value)
        return Variant(VarType.VT_DISPATCH, self.interface_pointer(value, now))

    def resolve(self, pointer: InterfacePointer | None) -> object | None:
        """The object an incoming interface pointer names; it must be one we exported."""
        if pointer is None:
            return None
        try:
            objref = decode_objref(pointer.objref)
        except ProtocolError:
            raise error_for(E_INVALIDARG, "the interface pointer is not an OBJREF") from None
        std = getattr(objref, "std", None)
        if not isinstance(std, StdObjRef) or std.oxid != self.oxid:
            raise error_for(E_INVALIDARG, "the interface pointer names another exporter")
        found = self.table.lookup(std.ipid)
        if found is None:
            raise error_for(E_INVALIDARG, "the interface pointer names no live object")
        return found[0]

    def argument(self, variant: Variant) -> object:
        """A VARIANT argument as the model takes it."""
        vt = variant.vt & ~VT_BYREF
        if vt in (VarType.VT_EMPTY, VarType.VT_NULL):
            return None
        if vt in (VarType.VT_DISPATCH, VarType.VT_UNKNOWN):
            value = variant.value
            if value is not None and not isinstance(value, InterfacePointer):
                raise error_for(DISP_E_TYPEMISMATCH, "a VT_DISPATCH without an OBJREF")
            return self.resolve(value)
        if vt in _I4_VTS:
            return int(variant.value)
        if vt & VT_ARRAY:
            array = variant.value
            if isinstance(array, SafeArray) and array.vt == VarType.VT_UI1:
                return bytes(array.items)
            raise error_for(DISP_E_TYPEMISMATCH, f"VARTYPE {variant.vt:#x} is not accepted")
        return variant.value
