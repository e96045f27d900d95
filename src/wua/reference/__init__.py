"""The API facts as code: interfaces, coclasses, enums, HRESULTs, categories, remote rules.

Everything here is read from the reference tables shipped in `data/` (copies of the
project's shared reference); client, emulator and CLI read facts from here only.
"""

from wua.reference import enums
from wua.reference.coclasses import (
    Coclass,
    NamedId,
    all_coclasses,
    classification,
    classification_or_none,
    classifications,
    coclass,
    service_ids,
)
from wua.reference.hresults import FailureKind, HResult, lookup
from wua.reference.interfaces import (
    Interface,
    Member,
    MemberKind,
    Param,
    interface,
    remote_interfaces,
)
from wua.reference.remote import RESTRICTIONS, RemoteRestriction, may_call_remotely, restriction_for

__all__ = [
    "RESTRICTIONS",
    "Coclass",
    "FailureKind",
    "HResult",
    "Interface",
    "Member",
    "MemberKind",
    "NamedId",
    "Param",
    "RemoteRestriction",
    "all_coclasses",
    "classification",
    "classification_or_none",
    "classifications",
    "coclass",
    "enums",
    "interface",
    "lookup",
    "may_call_remotely",
    "remote_interfaces",
    "restriction_for",
    "service_ids",
]
