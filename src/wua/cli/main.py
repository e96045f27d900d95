"""The `wua` command: global options, the command list, and the entry point."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

import click

from wua.cli.check_cmd import check
from wua.cli.config_cmd import config
from wua.cli.demo import demo
from wua.cli.detect_cmd import detect
from wua.cli.emulate import emulate
from wua.cli.errors import WuaGroup
from wua.cli.exit_codes import exit_codes_help
from wua.cli.firewall_cmd import firewall
from wua.cli.history_cmd import history
from wua.cli.info_cmd import info
from wua.cli.output import OutputFormat, OutputOptions
from wua.cli.scan_cmd import scan

EXAMPLES = """
Examples:

\b
  wua demo                                    # the emulated host's pending updates
  wua demo --format json                      # the same as wua.scan/1 JSON
  wua scan srv01 -u 'CORP\\patchadmin'          # pending updates of a Windows host
  wua check srv01 -u 'CORP\\patchadmin'         # where the remote path breaks, and the fix
  wua firewall rules --remote-address 10.0.5.20 --format powershell
  wua config show srv01.corp.example -u 'CORP\\patchadmin'
"""


# Loggers whose DEBUG records carry authentication material: pyspnego logs every NTLM
# token, and an AUTHENTICATE token's NTLMv2 response can be cracked offline for the
# password. A --debug log is pasted into tickets, so these stay at WARNING.
SECRET_LOGGERS = ("spnego", "krb5", "gssapi")


def quiet_secret_loggers() -> None:
    for name in SECRET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _version() -> str:
    try:
        return version("wua")
    except PackageNotFoundError:
        return "unknown"


def build_cli() -> click.Group:
    """A fresh command tree; tests build their own instead of changing a shared one."""

    @click.group(
        name="wua",
        cls=WuaGroup,
        epilog=EXAMPLES + "\n" + exit_codes_help(),
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.version_option(_version(), "--version", "-V", prog_name="wua")
    @click.option(
        "--format",
        "-f",
        "output_format",
        default=OutputFormat.TABLE.value,
        type=click.Choice([f.value for f in OutputFormat]),
        show_default=True,
        help="Output format for commands that print data.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="Print only the data.")
    @click.option("--debug", is_flag=True, help="Log details and show tracebacks on errors.")
    @click.option(
        "--config",
        "config_path",
        metavar="FILE",
        envvar="WUA_CONFIG",
        help="Config file (default ~/.config/wua/config.toml; or WUA_CONFIG).",
    )
    @click.pass_context
    def cli(
        ctx: click.Context, output_format: str, quiet: bool, debug: bool, config_path: str | None
    ) -> None:
        """Use the Windows Update Agent API of remote Windows hosts over DCOM.

        Works from any OS with no agent on the target; the account must be an
        administrator of the target.
        """
        ctx.obj = OutputOptions(format=OutputFormat(output_format), quiet=quiet, debug=debug)
        ctx.meta["wua.config"] = config_path
        if debug:
            logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
            quiet_secret_loggers()

    for command in (scan, history, info, detect, check, demo, emulate, firewall, config):
        cli.add_command(command)
    return cli


cli = build_cli()


def main() -> None:
    cli(prog_name="wua")


if __name__ == "__main__":
    main()
