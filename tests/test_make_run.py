"""`make run`: the development server with the built-in Duitku sandbox. The app calls
the sandbox, and the sandbox calls back, through PUBLIC_BASE_URL, so it must name the
address the server listens on, whatever PORT and HOST say; the address is left in the
instance folder, where a `flask` command run beside it finds it. `make run` installs
the runtime set only, `make test` the development set.

The recipes really run: with a stand-in for `flask` that prints its first argument and
the PUBLIC_BASE_URL it was given (the install step is left out with `-o`), or with a
stand-in for Python whose venv records what it is asked to run."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from webapp import production

ROOT = Path(__file__).resolve().parent.parent
FLASK_STAND_IN = f"{sys.executable} -c 'import os, sys; print(sys.argv[1], os.environ.get(\"PUBLIC_BASE_URL\"))'"
# `python3 -m venv DIR` makes DIR/bin/python and DIR/bin/flask, which append their
# arguments to DIR/calls and succeed.
PYTHON_STAND_IN = """#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 64
mkdir -p "$3/bin"
for program in python flask; do
  printf '#!/bin/sh\\necho "%s $*" >> "%s/calls"\\n' "$program" "$3" > "$3/bin/$program"
  chmod +x "$3/bin/$program"
done
"""


def make(*arguments: str, **environment: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    inherited = {name: value for name, value in os.environ.items() if name not in ("PUBLIC_BASE_URL", "MAKEFLAGS")}
    return subprocess.run(
        ["make", "--silent", *arguments],
        cwd=ROOT,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def make_run(instance_dir: Path, *arguments: str, **environment: str) -> dict[str, str]:
    """{flask command: the PUBLIC_BASE_URL it saw} for `make run arguments...`."""
    output = make(
        "-o",
        ".venv/.installed-runtime",
        "run",
        f"FLASK={FLASK_STAND_IN}",
        *arguments,
        WARUNG_INSTANCE_DIR=str(instance_dir),
        **environment,
    )
    return dict(line.split(" ", 1) for line in output.splitlines() if line and not line.startswith("  Warung: "))


def test_the_server_is_told_its_own_address_on_any_port(tmp_path):
    assert make_run(tmp_path)["run"] == "http://127.0.0.1:5000"
    assert make_run(tmp_path, "PORT=5123")["run"] == "http://127.0.0.1:5123"
    assert make_run(tmp_path, "HOST=0.0.0.0", "PORT=8080")["run"] == "http://0.0.0.0:8080"


def test_a_public_base_url_set_in_the_environment_is_kept(tmp_path):
    assert make_run(tmp_path, "PORT=5123", PUBLIC_BASE_URL="http://192.0.2.7:8080")["run"] == "http://192.0.2.7:8080"


def test_the_address_is_printed_and_every_command_of_the_recipe_knows_it(tmp_path):
    seen = make_run(tmp_path, "PORT=5123")
    assert seen == {"db": "http://127.0.0.1:5123", "seed-demo": "http://127.0.0.1:5123", "run": "http://127.0.0.1:5123"}
    output = make("-o", ".venv/.installed-runtime", "run", f"FLASK={FLASK_STAND_IN}", WARUNG_INSTANCE_DIR=str(tmp_path))
    assert "  Warung: http://127.0.0.1:5000   (staff: http://127.0.0.1:5000/login)" in output.splitlines()


def public_base_url(instance_dir: Path, **settings: str) -> str:
    """The PUBLIC_BASE_URL an app with this instance folder and these settings uses."""
    app = Flask(__name__, instance_path=str(instance_dir))
    app.config.update({"ENVIRONMENT": "development", "PUBLIC_BASE_URL": "", "DUITKU_BASE_URL": "", **settings})
    production.init_app(app)
    return app.config["PUBLIC_BASE_URL"]


def test_a_command_run_beside_make_run_uses_the_address_it_serves(tmp_path):
    """`flask tables list` in another terminal prints links to the port `make run` serves."""
    make_run(tmp_path, "PORT=5123")
    assert public_base_url(tmp_path) == "http://127.0.0.1:5123"
    assert public_base_url(tmp_path, PUBLIC_BASE_URL="http://192.0.2.7") == "http://192.0.2.7"  # set: it wins
    assert public_base_url(tmp_path / "elsewhere") == "http://127.0.0.1:5000"  # no make run there


class Venv:
    """A venv made by the Python stand-in: what make asked it to run."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.python = directory / "python3"
        self.python.write_text(PYTHON_STAND_IN)
        self.python.chmod(self.python.stat().st_mode | stat.S_IXUSR)

    def make(self, target: str) -> list[str]:
        """Run `make target`; the calls the venv's programs got meanwhile."""
        calls = self.directory / "venv" / "calls"
        calls.unlink(missing_ok=True)
        make(
            target,
            f"PYTHON={self.python}",
            f"VENV={self.directory / 'venv'}",
            WARUNG_INSTANCE_DIR=str(self.directory / "instance"),
        )
        return calls.read_text().splitlines() if calls.exists() else []

    def installs(self, target: str) -> list[str]:
        """The lock files `make target` installed."""
        return [call.split()[-1] for call in self.make(target) if " pip install " in call]

    def age_stamps(self) -> None:
        """As if a lock had changed since each set was installed."""
        for stamp in (self.directory / "venv").glob(".installed-*"):
            os.utime(stamp, (0, 0))


def test_make_run_installs_the_runtime_set_and_make_test_the_development_set(tmp_path):
    venv = Venv(tmp_path)
    assert venv.installs("run") == ["requirements.txt"]
    assert venv.make("run")[-1].startswith("flask --app wsgi run --host 127.0.0.1 --port 5000")
    assert venv.installs("run") == []  # installed already
    assert venv.installs("test") == ["requirements-dev.txt"]  # a venv made by `make run` gets the rest
    assert venv.make("test") == ["python -m pytest -n auto"]
    assert venv.installs("run") == []  # the development set holds the runtime set
    venv.age_stamps()
    assert venv.installs("run") == ["requirements.txt"]
    assert venv.installs("screenshots") == ["requirements-dev.txt"]


def test_a_fresh_venv_for_the_tests_installs_the_development_set_once(tmp_path):
    venv = Venv(tmp_path)
    assert venv.installs("test") == ["requirements-dev.txt"]
    assert venv.installs("run") == []
