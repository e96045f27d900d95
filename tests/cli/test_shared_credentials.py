"""Property: one prompt per distinct account, and every host gets its account's password."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from wua.cli.config import parse_config
from wua.cli.connection import CredentialArgs
from wua.cli.shared_credentials import resolve_for_hosts

ACCOUNTS = ("CORP\\admin", "corp\\ADMIN", "LAB\\ops", "local")
HOSTS = tuple(f"10.0.0.{n}" for n in range(1, 9))


def _key(account: str) -> str:
    return account.casefold()


@given(st.dictionaries(st.sampled_from(HOSTS), st.sampled_from(ACCOUNTS), min_size=1))
def test_one_prompt_per_account(assignment: dict[str, str]) -> None:
    sections = "".join(
        f'[hosts."{host}"]\nusername = "{account.replace(chr(92), chr(92) * 2)}"\n'
        for host, account in assignment.items()
    )
    config = parse_config(sections, Path("test.toml"))
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return f"pw-{len(asked)}"

    resolved = resolve_for_hosts(
        list(assignment), CredentialArgs(), config, {}, prompt=prompt, warn=lambda _: None
    )
    assert len(asked) == len({_key(a) for a in assignment.values()})
    by_account: dict[str, str] = {}
    for options in resolved:
        assert options.secret is not None
        account = _key(assignment[options.host])
        assert by_account.setdefault(account, options.secret.reveal()) == options.secret.reveal()
    assert len(set(by_account.values())) == len(by_account)
    for text in asked:
        assert text.startswith("Password for ")
