"""The README's "Use it from Python" snippet, run as written against an emulated host.

Only the address changes (the README's 127.0.0.5:1135 becomes the test host's); a
snippet that drifts from the API fails here rather than in a reader's terminal.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import wua
from tests.cli_hosts.helpers import emulated, host_config, port_of
from wua.errors import NotAvailableRemotely

README = Path(__file__).resolve().parents[2] / "README.md"
ADDRESS = "127.0.0.5:1135"


def python_snippet() -> str:
    text = README.read_text("utf-8")
    section = text.split("## Use it from Python", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "README has no python block under 'Use it from Python'"
    return found.group(1)


def test_readme_python_snippet_runs_against_the_emulator() -> None:
    snippet = python_snippet()
    assert ADDRESS in snippet
    with emulated(host_config("127.0.0.61")) as fleet:
        address = f"127.0.0.61:{port_of(fleet, '127.0.0.61')}"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(snippet.replace(ADDRESS, address), "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    updates = [line for line in lines if line.startswith("['")]
    assert updates, lines  # the default host has pending updates
    assert any("Cumulative Update" in line for line in updates)
    assert any("scheduled task running as SYSTEM" in line for line in lines)
    assert lines[-1].startswith("E_ACCESSDENIED ")
    assert "LocalAccountTokenFilterPolicy" in lines[-1]


def test_readme_keeps_its_two_set_up_commands() -> None:
    text = README.read_text("utf-8")
    setup = text.split("## Set up and run", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(scripts/\w+)", setup, re.M)
    assert commands == ["scripts/demo", "scripts/test"]


def test_refusal_names_the_interface_that_defines_the_member() -> None:
    with emulated(host_config("127.0.0.61")) as fleet:
        address = f"127.0.0.61:{port_of(fleet, '127.0.0.61')}"
        with wua.connect(address, "Administrator", "Passw0rd!") as host:
            session = host.update_session
            refusals = []
            for call in (session.create_update_installer, session.create_update_downloader):
                try:
                    call()
                except NotAvailableRemotely as error:
                    refusals.append(str(error))
    assert len(refusals) == 2
    assert "calling IUpdateSession::CreateUpdateInstaller is refused" in refusals[0]
    assert "calling IUpdateSession::CreateUpdateDownloader is refused" in refusals[1]
    assert not any("IUpdateSession2::" in text for text in refusals)
