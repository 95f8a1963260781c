"""Shared fixtures: the `playgrid` command (for tapes and the command-line side of comparisons) and a scratch folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]


def find_cli() -> str | None:
    """$PLAYGRID_CLI, else the checkout's newest build of `playgrid`, else one on PATH."""
    given = os.environ.get("PLAYGRID_CLI")
    if given:
        return given
    builds = [CHECKOUT / ".build" / mode / "playgrid" for mode in ("debug", "release")]
    built = [path for path in builds if path.exists()]
    if built:
        return str(max(built, key=lambda path: path.stat().st_mtime))
    return shutil.which("playgrid")


@pytest.fixture(scope="session")
def cli():
    """Runs the `playgrid` command: cli(*arguments) -> CompletedProcess (text, not checked)."""
    program = find_cli()
    if program is None:
        pytest.skip("the playgrid command is not built (swift build), and PLAYGRID_CLI is not set")

    def run(*arguments, check=True):
        result = subprocess.run([program, *map(str, arguments)], capture_output=True, text=True, timeout=300,
                                cwd=CHECKOUT)
        if check and result.returncode != 0:
            raise AssertionError(f"playgrid {' '.join(map(str, arguments))} exited {result.returncode}: {result.stderr}")
        return result

    run.program = program
    return run
