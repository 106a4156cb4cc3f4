"""`make run`: the development server with the built-in Duitku sandbox. The app calls
the sandbox, and the sandbox calls back, through PUBLIC_BASE_URL, so it must name the
address the server listens on, whatever PORT and HOST say.

The recipe really runs, with a stand-in for `flask` that prints its first argument and
the PUBLIC_BASE_URL it was given (the install step is left out with `-o`)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLASK_STAND_IN = f"{sys.executable} -c 'import os, sys; print(sys.argv[1], os.environ.get(\"PUBLIC_BASE_URL\"))'"


def make_run(*arguments: str, **environment: str) -> dict[str, str]:
    """{flask command: the PUBLIC_BASE_URL it saw} for `make run arguments...`."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    inherited = {name: value for name, value in os.environ.items() if name not in ("PUBLIC_BASE_URL", "MAKEFLAGS")}
    output = subprocess.run(
        ["make", "--silent", "-o", ".venv/.installed", "run", f"FLASK={FLASK_STAND_IN}", *arguments],
        cwd=ROOT,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split(" ", 1) for line in output.splitlines())


def test_the_server_is_told_its_own_address_on_any_port():
    assert make_run()["run"] == "http://127.0.0.1:5000"
    assert make_run("PORT=5123")["run"] == "http://127.0.0.1:5123"
    assert make_run("HOST=0.0.0.0", "PORT=8080")["run"] == "http://0.0.0.0:8080"


def test_a_public_base_url_set_in_the_environment_is_kept():
    assert make_run("PORT=5123", PUBLIC_BASE_URL="http://192.0.2.7:8080")["run"] == "http://192.0.2.7:8080"
