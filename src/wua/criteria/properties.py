"""The criteria language's vocabulary: property names, operators and the rule table.

Each property has one row saying which operators and values the agent accepts and which
attribute of a subject it compares, so the parser, the printer and the evaluator read the
same facts instead of repeating them (MS-UAMG 3.38.4.11 and the SDK criteria table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from types import MappingProxyType

from wua.reference.enums import DeploymentAction, UpdateType


class Property(StrEnum):
    """A property name, valued with the spelling Microsoft's documentation uses."""

    TYPE = "Type"
    DEPLOYMENT_ACTION = "DeploymentAction"
    IS_ASSIGNED = "IsAssigned"
    AUTO_SELECT_ON_WEB_SITES = "AutoSelectOnWebSites"
    BROWSE_ONLY = "BrowseOnly"
    UPDATE_ID = "UpdateID"
    REVISION_NUMBER = "RevisionNumber"
    CATEGORY_IDS = "CategoryIDs"
    IS_INSTALLED = "IsInstalled"
    IS_HIDDEN = "IsHidden"
    IS_PRESENT = "IsPresent"
    REBOOT_REQUIRED = "RebootRequired"


class Operator(StrEnum):
    """A comparison operator, valued with its canonical spelling."""

    EQUAL = "="
    NOT_EQUAL = "!="
    CONTAINS = "contains"


class ValueKind(Enum):
    """What a property's value must look like."""

    BOOLEAN = "0 or 1"
    INTEGER = "a base-10 integer"
    GUID = "a GUID string such as '0fa1201d-4330-4fa8-8ae9-b877473b6441'"
    CHOICE = "one of a fixed set of strings"


@dataclass(frozen=True)
class PropertyRule:
    """One row of the criteria table.

    `choices` maps the lower-cased criterion string to the enum member a subject carries,
    because the agent compares strings case-insensitively but subjects hold enum values.
    """

    name: Property
    kind: ValueKind
    operators: frozenset[Operator]
    attribute: str
    choices: Mapping[str, UpdateType | DeploymentAction] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def takes_string(self) -> bool:
        return self.kind in (ValueKind.GUID, ValueKind.CHOICE)

    def choice_spellings(self) -> tuple[str, ...]:
        """The documented spellings of the choices, for messages and generators."""
        return tuple(spelled for spelled in _CHOICE_SPELLINGS if spelled.lower() in self.choices)


_CHOICE_SPELLINGS = (
    "Software",
    "Driver",
    "Installation",
    "Uninstallation",
    "Detection",
    "OptionalInstallation",
)

_EQ = frozenset({Operator.EQUAL})
_EQ_NE = frozenset({Operator.EQUAL, Operator.NOT_EQUAL})
_CONTAINS = frozenset({Operator.CONTAINS})

_TYPES: Mapping[str, UpdateType | DeploymentAction] = MappingProxyType(
    {"software": UpdateType.utSoftware, "driver": UpdateType.utDriver}
)
# 'OptionalInstallation' is community usage for newer agents (not in MS text); the
# reference lists it, so it is accepted.
_ACTIONS: Mapping[str, UpdateType | DeploymentAction] = MappingProxyType(
    {
        "installation": DeploymentAction.daInstallation,
        "uninstallation": DeploymentAction.daUninstallation,
        "detection": DeploymentAction.daDetection,
        "optionalinstallation": DeploymentAction.daOptionalInstallation,
    }
)


def _boolean(prop: Property, attribute: str) -> PropertyRule:
    return PropertyRule(prop, ValueKind.BOOLEAN, _EQ, attribute)


RULES: Mapping[Property, PropertyRule] = MappingProxyType(
    {
        rule.name: rule
        for rule in (
            PropertyRule(Property.TYPE, ValueKind.CHOICE, _EQ_NE, "type", _TYPES),
            PropertyRule(
                Property.DEPLOYMENT_ACTION, ValueKind.CHOICE, _EQ, "deployment_action", _ACTIONS
            ),
            _boolean(Property.IS_ASSIGNED, "is_assigned"),
            _boolean(Property.AUTO_SELECT_ON_WEB_SITES, "auto_select_on_web_sites"),
            _boolean(Property.BROWSE_ONLY, "browse_only"),
            PropertyRule(Property.UPDATE_ID, ValueKind.GUID, _EQ_NE, "update_id"),
            PropertyRule(Property.REVISION_NUMBER, ValueKind.INTEGER, _EQ, "revision_number"),
            PropertyRule(Property.CATEGORY_IDS, ValueKind.GUID, _CONTAINS, "category_ids"),
            _boolean(Property.IS_INSTALLED, "is_installed"),
            _boolean(Property.IS_HIDDEN, "is_hidden"),
            _boolean(Property.IS_PRESENT, "is_present"),
            _boolean(Property.REBOOT_REQUIRED, "reboot_required"),
        )
    }
)

_BY_LOWER_NAME: Mapping[str, Property] = MappingProxyType({p.value.lower(): p for p in Property})


def property_named(word: str) -> Property | None:
    """The property a word names (names are case-insensitive ABNF literals), or None."""
    return _BY_LOWER_NAME.get(word.lower())
