"""`wua scan`'s filters turned into search criteria, searcher settings and row filters.

What the criteria language can say (category) goes to the host, so it searches less;
what it cannot (MSRC severity, KB number: not search properties) is filtered here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from wua.cli.render import UpdateRow
from wua.cli.scan_reader import SearchSettings
from wua.criteria import parse
from wua.criteria.printer import format_criteria
from wua.criteria.properties import Operator, Property
from wua.criteria.tree import Criteria, Criterion, Group
from wua.errors import InvalidCriteria
from wua.reference.coclasses import (
    MICROSOFT_UPDATE_SERVICE,
    classification_or_none,
    classifications,
)
from wua.reference.enums import ServerSelection
from wua.reference.wire_types import canonical_guid

PENDING = "IsInstalled=0 and IsHidden=0"
SEVERITIES = ("Critical", "Important", "Moderate", "Low", "Unspecified")
# How a usage error shows the one GUID form hosts take (no braces, no urn:uuid:).
_GUID_FORM = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, without braces"


class Server(StrEnum):
    DEFAULT = "default"
    WINDOWS_UPDATE = "windows-update"
    MICROSOFT_UPDATE = "microsoft-update"
    WSUS = "wsus"


class ScanUsageError(ValueError):
    """A filter that cannot be turned into a search; the command reports it as usage."""


def category_id(text: str) -> str:
    """A classification name ('Security Updates') or any category GUID (in the form the
    criteria language takes, `canonical_guid`)."""
    named = classification_or_none(text)
    if named is not None:
        return named.id
    canonical = canonical_guid(text)
    if canonical is None:
        known = ", ".join(c.name for c in classifications())
        raise ScanUsageError(
            f"--category {text!r}: not a classification ({known}) nor a category GUID"
            f" ({_GUID_FORM})"
        )
    return canonical


def checked_criteria(criteria: str) -> str:
    """`criteria` when the language accepts it; a usage error naming the spot otherwise.

    Checked once, before any host is contacted: the same text would be refused by every
    host (after a logon and an activation each), and a typo is the command line's fault,
    so it ends as a usage error (exit 2) rather than one failure per host.
    """
    try:
        parse(criteria)
    except InvalidCriteria as error:
        fix = f"\n  fix: {error.fix}" if error.fix else ""
        raise ScanUsageError(f"--criteria: {error.detail}{fix}") from None
    return criteria


def with_categories(criteria: str, ids: Sequence[str]) -> str:
    """`criteria` restricted to any of the categories `ids`.

    The language allows `or` only between top-level groups, so "(A or B) and (X or Y)"
    is invalid criteria; the restriction is distributed instead: every group of the
    criteria gets one `CategoryIDs contains` term per category (A and X or A and Y ...).
    """
    parsed = parse(criteria)
    groups = tuple(
        Group((*group.terms, Criterion(Property.CATEGORY_IDS, Operator.CONTAINS, i)))
        for group in parsed.groups
        for i in ids
    )
    return format_criteria(Criteria(groups))


@dataclass(frozen=True)
class ScanRequest:
    criteria: str | None = None
    categories: Sequence[str] = ()
    severities: Sequence[str] = ()
    kbs: Sequence[str] = ()
    server: Server = Server.DEFAULT
    service_id: str | None = None
    offline: bool = False

    def settings(self) -> SearchSettings:
        criteria = checked_criteria(self.criteria or PENDING)
        ids = list(dict.fromkeys(category_id(c) for c in self.categories))
        if ids:
            criteria = with_categories(criteria, ids)
        selection = {
            Server.DEFAULT: ServerSelection.ssDefault,
            Server.WINDOWS_UPDATE: ServerSelection.ssWindowsUpdate,
            Server.WSUS: ServerSelection.ssManagedServer,
            Server.MICROSOFT_UPDATE: ServerSelection.ssOthers,
        }[self.server]
        service = MICROSOFT_UPDATE_SERVICE if self.server is Server.MICROSOFT_UPDATE else None
        if self.service_id is not None:
            if self.server not in (Server.DEFAULT, Server.MICROSOFT_UPDATE):
                raise ScanUsageError(
                    f"--service-id names the service itself: drop --server {self.server.value}"
                )
            service = canonical_guid(self.service_id)
            if service is None:
                raise ScanUsageError(
                    f"--service-id {self.service_id!r} is not a GUID in the form the host"
                    f" takes ({_GUID_FORM})"
                )
            selection = ServerSelection.ssOthers
        return SearchSettings(
            criteria, online=not self.offline, server_selection=selection, service_id=service
        )

    def local_filters(self) -> str:
        """The filters applied here rather than by the host, as the user wrote them."""
        parts = [f"--severity {s}" for s in self.severities] + [f"--kb {k}" for k in self.kbs]
        return " ".join(parts)

    def keeps(self, row: UpdateRow) -> bool:
        if self.severities:
            wanted = {s.casefold() for s in self.severities}
            if (row.msrc_severity or "Unspecified").casefold() not in wanted:
                return False
        if self.kbs:
            numbers = {re.sub(r"(?i)^kb", "", k) for k in self.kbs}
            if row.kb not in numbers:
                return False
        return True
