"""`wua emulate` accounts without passwords in `ps`: --accounts-file and WUA_EMULATE_ACCOUNTS.

The emulator runs as a child process, as an administrator would start it; the account
is then proven by a real scan against it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli_hosts.helpers import shared_port
from wua.cli.exit_codes import ExitCode

SRC = Path(__file__).resolve().parents[2] / "src"
ADDRESS = "127.0.0.68"
ACCOUNT = ("opsadmin", "Fi1e-Secret!")


@contextmanager
def emulator(*args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """`wua emulate ARGS` in a child; ready once it prints its host line on stdout."""
    environment = {k: v for k, v in os.environ.items() if k != "WUA_EMULATE_ACCOUNTS"}
    environment.update(PYTHONPATH=str(SRC), **(env or {}))
    process = subprocess.Popen(
        [sys.executable, "-m", "wua.cli.main", "emulate", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first, process.stderr.read() if process.stderr else ""
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def _scan(run: Run, port: int, account: tuple[str, str]) -> int:
    result = run(
        "scan", ADDRESS, "--port", str(port), "-u", account[0], "-q",
        env={"WUA_PASSWORD": account[1]},
    )  # fmt: skip
    return result.exit_code


def _private_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "accounts"
    path.write_text(text, "utf-8")
    path.chmod(mode)
    return path


def test_accounts_file_adds_an_administrator_and_a_user(run: Run, tmp_path: Path) -> None:
    path = _private_file(tmp_path, f"# test accounts\n\n{ACCOUNT[0]}:{ACCOUNT[1]}\nro:pw:user\n")
    port = shared_port()
    with emulator("--listen", f"{ADDRESS}:{port}", "--accounts-file", str(path)) as process:
        assert ACCOUNT[1] not in " ".join(process.args)  # type: ignore[arg-type]
        assert _scan(run, port, ACCOUNT) == ExitCode.OK
        assert _scan(run, port, ("ro", "pw")) == ExitCode.ACCESS_DENIED


def test_accounts_from_the_environment(run: Run) -> None:
    port = shared_port()
    env = {"WUA_EMULATE_ACCOUNTS": f"{ACCOUNT[0]}:{ACCOUNT[1]}:admin"}
    with emulator("--listen", f"{ADDRESS}:{port}", env=env):
        assert _scan(run, port, ACCOUNT) == ExitCode.OK


@pytest.mark.parametrize("mode", [0o640, 0o604])
def test_accounts_file_readable_by_others_is_refused(run: Run, tmp_path: Path, mode: int) -> None:
    path = _private_file(tmp_path, f"{ACCOUNT[0]}:{ACCOUNT[1]}\n", mode)
    result = run("emulate", "--listen", f"{ADDRESS}:1", "--accounts-file", str(path))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert f"chmod 600 {path}" in result.stderr and ACCOUNT[1] not in result.stderr


def test_bad_line_names_the_line_not_the_password(run: Run, tmp_path: Path) -> None:
    path = _private_file(tmp_path, f"ok:pw\n{ACCOUNT[0]}:{ACCOUNT[1]}:root\n")
    result = run("emulate", "--listen", f"{ADDRESS}:1", "--accounts-file", str(path))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert f"{path} line 2" in result.stderr and ACCOUNT[1] not in result.stderr


def test_account_option_still_works_and_warns(run: Run) -> None:
    # a busy address ends the run right after the accounts were read
    with socket.socket() as busy:
        busy.bind((ADDRESS, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("emulate", "--listen", f"{ADDRESS}:{port}", "--account", "x:y")
    assert result.exit_code == 1, result.output
    assert "--account are visible to other users" in result.stderr
    assert "--accounts-file" in result.stderr
