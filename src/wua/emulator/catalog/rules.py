"""Rules that tie fields together, which no single field's type can express.

Per-field rules (types, GUIDs, enum names, ranges, unique IDs, references) live in the
codec and the model's markers; what is left are the few relations between fields. Each
rule is a function from the catalog to the first problem found, as (field path, message);
`RULES` is the table the loader runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from wua.emulator.catalog.model import Catalog
from wua.reference.enums import UpdateType

Problem = tuple[str, str]
Rule = Callable[[Catalog], Iterator[Problem]]


def one_default_service(catalog: Catalog) -> Iterator[Problem]:
    """Automatic Updates has exactly one default service (IUpdateService2.IsDefaultAUService)."""
    defaults = [i for i, s in enumerate(catalog.services) if s.is_default_au_service]
    if not defaults:
        yield "services", "no service has is_default_au_service: true (exactly one must)"
    for i in defaults[1:]:
        first = catalog.services[defaults[0]].service_id
        yield (
            f"services[{i}].is_default_au_service",
            f"more than one default service (services[{defaults[0]}] {first} is already)",
        )


def one_secret_per_account(catalog: Catalog) -> Iterator[Problem]:
    """An account logs on with a password or with its NT hash, never both, never neither."""
    for i, account in enumerate(catalog.accounts):
        if account.password is not None and account.nt_hash is not None:
            yield f"accounts[{i}].nt_hash", "give either password or nt_hash, not both"
        if account.password is None and account.nt_hash is None:
            yield f"accounts[{i}]", "needs a password or an nt_hash (32 hex digits)"
        if account.builtin_admin and not account.is_admin:
            yield f"accounts[{i}].builtin_admin", "the built-in Administrator is an admin"


def driver_fields_match_type(catalog: Catalog) -> Iterator[Problem]:
    """IWindowsDriverUpdate exists exactly for updates of type utDriver."""
    for i, update in enumerate(catalog.updates):
        is_driver = update.type is UpdateType.utDriver
        if is_driver and update.driver is None:
            yield f"updates[{i}].driver", "a utDriver update needs its driver fields"
        if not is_driver and (update.driver is not None or update.driver_entries):
            yield f"updates[{i}].driver", "only utDriver updates have driver fields"


def download_sizes_ordered(catalog: Catalog) -> Iterator[Problem]:
    for i, update in enumerate(catalog.updates):
        if update.min_download_size > update.max_download_size:
            yield f"updates[{i}].min_download_size", "is larger than max_download_size"


def category_tree_acyclic(catalog: Catalog) -> Iterator[Problem]:
    parents = {c.category_id: c.parent for c in catalog.categories}
    for i, category in enumerate(catalog.categories):
        seen = {category.category_id}
        current = category.parent
        while current is not None:
            if current in seen:
                yield f"categories[{i}].parent", "the parent chain loops back to this category"
                break
            seen.add(current)
            current = parents.get(current)


def bundles_acyclic(catalog: Catalog) -> Iterator[Problem]:
    """A bundle cannot contain itself, directly or through its members."""
    members = {u.update_id: u.bundled_updates for u in catalog.updates}
    for i, update in enumerate(catalog.updates):
        pending = list(update.bundled_updates)
        seen: set[str] = set()
        while pending:
            current = pending.pop()
            if current == update.update_id:
                yield f"updates[{i}].bundled_updates", "the update is bundled in itself"
                break
            if current not in seen:
                seen.add(current)
                pending.extend(members.get(current, ()))


RULES: tuple[Rule, ...] = (
    one_default_service,
    one_secret_per_account,
    driver_fields_match_type,
    download_sizes_ordered,
    category_tree_acyclic,
    bundles_acyclic,
)


def first_problem(catalog: Catalog) -> Problem | None:
    for rule in RULES:
        for problem in rule(catalog):
            return problem
    return None
