"""What a benchmark needs, started on this machine only (127.0.0.1) and stopped after:
a throwaway PostgreSQL cluster, and the app migrated, seeded and served by gunicorn
with the project's gunicorn.conf.py (its built-in Duitku sandbox mounted)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres():
    """A throwaway cluster in a temporary directory; yields its database URL."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    workdir = tempfile.mkdtemp(prefix="warung-bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    port = free_port()
    data = f"{workdir}/data"
    run = lambda *args: subprocess.run(_as_postgres(list(args)), check=True, capture_output=True)  # noqa: E731
    run(f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
    run(
        f"{bindir}/pg_ctl",
        "-D",
        data,
        "-l",
        f"{workdir}/log",
        "-w",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c max_connections=200",
        "start",
    )
    try:
        run(f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "warung")
        yield f"postgresql://postgres@127.0.0.1:{port}/warung"
    finally:
        # Best effort: a failed stop must not hide what went wrong before it.
        subprocess.run(
            _as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"]), capture_output=True, check=False
        )
        shutil.rmtree(workdir, ignore_errors=True)


class App:
    def __init__(self, base_url: str, env: dict):
        self.base_url, self.env = base_url, env

    def flask(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


@contextmanager
def gunicorn(app_module: str, env: dict, port: int, log_dir: str):
    """Serve `app_module` with the project's gunicorn.conf.py until the block ends."""
    log_path = Path(log_dir) / "gunicorn.log"
    with open(log_path, "w") as log:  # gunicorn writes to its own copy of the descriptor
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", app_module],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not come up:\n" + log_path.read_text()[-2000:])
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def served_app(database_url: str, extra_env: dict | None = None):
    """Migrate, seed and serve the app with gunicorn; yields an App."""
    port = free_port()
    instance = tempfile.mkdtemp(prefix="warung-bench-instance-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SECRET_KEY": "bench-only",
        "WARUNG_INSTANCE_DIR": instance,
        "RATELIMIT_ENABLED": "0",
        **(extra_env or {}),
    }
    app = App(f"http://127.0.0.1:{port}", env)
    app.flask("db", "upgrade")
    app.flask("seed-demo")
    try:
        with gunicorn("wsgi:app", env, port, instance):
            yield app
    finally:
        shutil.rmtree(instance, ignore_errors=True)
