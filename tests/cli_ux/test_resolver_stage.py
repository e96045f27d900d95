"""The endpoint mapper stage names the port actually asked, for people, while its id stays
`TCP 135` for code and JSON (as `wua check` keeps its `tcp-135` key)."""

from __future__ import annotations

import json

from tests.cli.conftest import Run
from tests.cli_ux.test_cli_ux import closed_port
from wua.cli.error_text import describe, error_document, human_text
from wua.cli.exit_codes import ExitCode
from wua.client.transport import STAGE_ACTIVATION, STAGE_RESOLVER, stage_title
from wua.errors import HostUnreachable

NOWHERE = "127.0.0.79"


def test_stage_title_names_the_port() -> None:
    assert stage_title(STAGE_RESOLVER, 1135) == "TCP 1135, RPC endpoint mapper"
    assert stage_title(STAGE_RESOLVER) == "TCP 135, RPC endpoint mapper"
    assert stage_title(STAGE_ACTIVATION, 1135) == STAGE_ACTIVATION


def test_describe_titles_the_stage_and_keeps_the_id() -> None:
    error = HostUnreachable("cannot connect", host="srv01", stage=STAGE_RESOLVER)
    text = describe(error, port=1135)
    assert text.stage == STAGE_RESOLVER and text.where == "TCP 1135, RPC endpoint mapper"
    assert error_document(text)["stage"] == STAGE_RESOLVER
    first = human_text(text, "srv01").splitlines()[0]
    assert first.startswith("error: srv01 (TCP 1135, RPC endpoint mapper): cannot connect")


def test_scan_on_another_port_names_it(run: Run) -> None:
    port = closed_port()
    result = run(
        "scan",
        NOWHERE,
        "--port",
        str(port),
        "-u",
        "Administrator",
        "--connect-timeout",
        "2",
        "-f",
        "json",
        env={"WUA_PASSWORD": "x"},
    )
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    [document] = [json.loads(line) for line in result.stdout.splitlines()]
    assert document["errors"][0]["stage"] == STAGE_RESOLVER
    error, fix = result.stderr.splitlines()[-2:]
    assert error.startswith(f"error: {NOWHERE} (TCP {port}, RPC endpoint mapper): ")
    assert f"TCP {port} " in fix and "TCP 135" not in result.stderr
