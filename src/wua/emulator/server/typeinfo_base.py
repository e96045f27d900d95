"""The seven IUnknown/IDispatch functions at the head of a dual interface's dispatch view.

A type library's TKIND_DISPATCH view of a dual interface lists the inherited
QueryInterface, AddRef, Release, GetTypeInfoCount, GetTypeInfo, GetIDsOfNames and Invoke
first, FUNCFLAG_FRESTRICTED, with the MEMBERIDs 0x60000000-2 and 0x60010000-3 and the
parameter names of stdole's declarations; PowerShell's COM adapter counts on the flag to
skip them (ComTypeInfo.Initialize). They are written as reference `Member`s so the same
FUNCDESC and GetNames code serves them.
"""

from __future__ import annotations

from wua.reference.interfaces import Member, MemberKind, Param


def _member(
    interface: str,
    name: str,
    dispid: int,
    slot: int,
    returns: str | None,
    *params: tuple[str, str, str],
) -> Member:
    return Member(
        interface=interface,
        name=name,
        kind=MemberKind.METHOD,
        dispid=dispid,
        params=tuple(Param(n, t, d) for n, t, d in params),
        returns=returns,
        slot=slot,
        remote_restricted=False,
        on_wire=True,
        notes="inherited; FUNCFLAG_FRESTRICTED in the dispatch view",
    )


BASE_FUNCTIONS: tuple[Member, ...] = (
    _member(
        "IUnknown",
        "QueryInterface",
        0x60000000,
        0,
        None,
        ("riid", "GUID*", "in"),
        ("ppvObj", "void**", "out"),
    ),
    _member("IUnknown", "AddRef", 0x60000001, 1, "ULONG"),
    _member("IUnknown", "Release", 0x60000002, 2, "ULONG"),
    _member("IDispatch", "GetTypeInfoCount", 0x60010000, 3, None, ("pctinfo", "UINT*", "out")),
    _member(
        "IDispatch",
        "GetTypeInfo",
        0x60010001,
        4,
        None,
        ("itinfo", "UINT", "in"),
        ("lcid", "ULONG", "in"),
        ("pptinfo", "void**", "out"),
    ),
    _member(
        "IDispatch",
        "GetIDsOfNames",
        0x60010002,
        5,
        None,
        ("riid", "GUID*", "in"),
        ("rgszNames", "char**", "in"),
        ("cNames", "UINT", "in"),
        ("lcid", "ULONG", "in"),
        ("rgdispid", "LONG*", "out"),
    ),
    _member(
        "IDispatch",
        "Invoke",
        0x60010003,
        6,
        None,
        ("dispidMember", "LONG", "in"),
        ("riid", "GUID*", "in"),
        ("lcid", "ULONG", "in"),
        ("wFlags", "USHORT", "in"),
        ("pdispparams", "DISPPARAMS*", "in"),
        ("pvarResult", "VARIANT*", "out"),
        ("pexcepinfo", "EXCEPINFO*", "out"),
        ("puArgErr", "UINT*", "out"),
    ),
)
