"""The command line's usage lines name the command the way it was started: `python -m app`, the
`ironbone` GUI command, the `ironbone-cli` console command or the bundle's `ironbone.exe`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _help(argv0: str | None, *args: str) -> str:
    """The first line `--help` prints, with sys.argv[0] as an installed command would set it."""
    if argv0 is None:
        cmd = [sys.executable, "-m", "app", *args, "--help"]
    else:
        code = ("import sys; from app.cli import main; "
                f"sys.argv[0] = {argv0!r}; sys.exit(main({[*args, '--help']!r}))")
        cmd = [sys.executable, "-c", code]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()[0]


@pytest.mark.parametrize(("argv0", "shown"), [
    (None, "python -m app"),
    ("/home/u/.local/bin/ironbone", "ironbone"),
    ("/home/u/.local/bin/ironbone-cli", "ironbone-cli"),
    ("/opt/IronBone/ironbone.exe", "ironbone"),
])
@pytest.mark.parametrize("command", [(), ("check-content",), ("export-quiz",), ("import-quiz",)])
def test_usage_names_the_command_as_started(argv0: str | None, shown: str, command: tuple[str, ...]) -> None:
    assert _help(argv0, *command).startswith(f"usage: {' '.join((shown, *command))} ")
