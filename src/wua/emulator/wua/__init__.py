"""The emulated host's Windows Update Agent, independent of the wire.

The DCOM layers reach it through these calls:

- `activate(state, clsid)`: a new object of a coclass (UpdateSession is the root);
- `invoke(obj, interface, member, kind, args)`: one member of one interface, with
  Python arguments, returning Python values and emulated objects (the exporter turns
  those into OBJREFs); `invoke_dispid` (IDispatch::Invoke, on the object's most
  derived interface) and `invoke_slot` (a vtable call) are the two wire paths into it,
  `dispid_of_name` answers GetIDsOfNames;
- `query_interface(obj, iid)`: whether the object implements an IID;
- `check_remote_caller(state, user)`: whether an authenticated caller may use WUA
  remotely (administrators; UAC remote restrictions for other local admins).

`HostState` is one host (catalog plus what remote calls change); `HostBehaviour` holds
its fault and timing knobs as data.
"""

from wua.emulator.wua.access import check_remote_caller
from wua.emulator.wua.activation import activate
from wua.emulator.wua.base import EmulatedObject
from wua.emulator.wua.dispatch import (
    dispatch_interface,
    dispid_of_name,
    interface_ids,
    invoke,
    invoke_dispid,
    invoke_slot,
    member_for_dispid,
    member_for_slot,
    query_interface,
)
from wua.emulator.wua.enumerator import Enumerator, Fetched
from wua.emulator.wua.session import UpdateSessionObject
from wua.emulator.wua.state import (
    Detection,
    HostBehaviour,
    HostState,
    SearchRecord,
    SearchWarning,
)
from wua.emulator.wua.values import OLE_ZERO_DATE, conforms

__all__ = [
    "OLE_ZERO_DATE",
    "Detection",
    "EmulatedObject",
    "Enumerator",
    "Fetched",
    "HostBehaviour",
    "HostState",
    "SearchRecord",
    "SearchWarning",
    "UpdateSessionObject",
    "activate",
    "check_remote_caller",
    "conforms",
    "dispatch_interface",
    "dispid_of_name",
    "interface_ids",
    "invoke",
    "invoke_dispid",
    "invoke_slot",
    "member_for_dispid",
    "member_for_slot",
    "query_interface",
]
