"""The WUA search-criteria language (IUpdateSearcher::Search): parse, print, evaluate.

One implementation serves both sides: the client checks criteria before any traffic and
escapes values with `escape_string`; the emulator parses what a caller sends and selects
updates with `matches`/`select`.
"""

from wua.criteria.escaping import escape_string
from wua.criteria.evaluator import CriteriaSubject, matches, select
from wua.criteria.parser import parse
from wua.criteria.printer import format_criteria
from wua.criteria.properties import Operator, Property
from wua.criteria.tree import (
    DEFAULT_CRITERIA,
    DEFAULT_CRITERIA_TEXT,
    Criteria,
    Criterion,
    Group,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_CRITERIA_TEXT",
    "Criteria",
    "CriteriaSubject",
    "Criterion",
    "Group",
    "Operator",
    "Property",
    "escape_string",
    "format_criteria",
    "matches",
    "parse",
    "select",
]
