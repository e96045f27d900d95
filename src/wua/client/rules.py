"""The remote rules, enforced before a byte leaves: one question to the reference.

Windows refuses these members to a remote caller with E_ACCESSDENIED after a full
round trip; refusing locally says *why* ("Using WUA From a Remote Computer") and what to
do instead, and costs no traffic (tests assert zero bytes on the socket).
"""

from __future__ import annotations

from wua.errors import NotAvailableRemotely
from wua.reference.interfaces import MemberKind
from wua.reference.remote import restriction_for

_VERBS = {
    MemberKind.PROPGET: "reading",
    MemberKind.PROPPUT: "setting",
    MemberKind.METHOD: "calling",
}


def check_remote(interface: str, member: str, kind: MemberKind, host: str | None) -> None:
    """Raise NotAvailableRemotely when a remote caller may not use this member.

    The message names the interface that defines the member (IUpdateSession, not the
    IUpdateSession2 the object was reached through), as the SDK pages and the rule do.
    """
    rule = restriction_for(interface, member, kind)
    if rule is None:
        return
    raise NotAvailableRemotely(
        f"{_VERBS[kind]} {rule.interface}::{member} is refused to a remote caller",
        rule=rule.source,
        workaround=rule.workaround,
        host=host,
    )
