"""Extra accounts for `wua emulate`, from the command line, a private file or the environment.

`--account NAME:PASSWORD` is handy and shows the password in `ps`; `--accounts-file`
(mode 600, the rule of `--password-file`) and WUA_EMULATE_ACCOUNTS keep it out of the
process list. All three use one line format, `NAME:PASSWORD[:admin|user]`, one account
a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from wua.cli.credentials import LINE_END, read_private_text
from wua.emulator.catalog import Account

ACCOUNTS_ENV = "WUA_EMULATE_ACCOUNTS"
ACCOUNT_ON_COMMAND_LINE = (
    "warning: passwords given with --account are visible to other users "
    f"(ps, shell history); prefer --accounts-file FILE (mode 600), {ACCOUNTS_ENV} "
    "or accounts in a --catalog file"
)


def parse_account(text: str, *, source: str = "the wua emulate command line") -> Account:
    """One `NAME:PASSWORD[:admin|user]`; the error never repeats the password."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise click.BadParameter(f"{source}: expected NAME:PASSWORD[:admin|user]")
    role = parts[2] if len(parts) == 3 else "admin"
    if role not in ("admin", "user"):
        raise click.BadParameter(f"{source}: the role is 'admin' or 'user', not {role!r}")
    # An administrator given here is meant to get in: like the built-in Administrator,
    # UAC's remote restrictions do not filter it.
    return Account(
        name=parts[0],
        is_admin=role == "admin",
        password=parts[1],
        builtin_admin=role == "admin",
        description=f"given in {source}",
    )


def parse_account_lines(text: str, *, source: str) -> list[Account]:
    """Blank lines and lines starting with `#` are skipped; errors name the line number."""
    accounts = []
    for number, line in enumerate(LINE_END.split(text), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            accounts.append(parse_account(line, source=f"{source} line {number}"))
    return accounts


def extra_accounts(
    given: Sequence[str], accounts_file: Path | None, environ: Mapping[str, str]
) -> list[Account]:
    """Accounts from the environment, then the file, then `--account`: a later source
    replaces an account of the same name, so the command line has the last word."""
    accounts: list[Account] = []
    if environ.get(ACCOUNTS_ENV):
        accounts += parse_account_lines(environ[ACCOUNTS_ENV], source=ACCOUNTS_ENV)
    if accounts_file is not None:
        text = read_private_text(accounts_file, label="--accounts-file")
        accounts += parse_account_lines(text, source=str(accounts_file))
    accounts += [parse_account(item) for item in given]
    by_name = {account.name.casefold(): account for account in accounts}
    return list(by_name.values())
