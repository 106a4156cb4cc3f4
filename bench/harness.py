"""What a benchmark needs, started on this machine only (127.0.0.1) and stopped after:
a throwaway PostgreSQL cluster, and the app migrated, seeded and served by gunicorn
with the project's gunicorn.conf.py (its built-in Duitku sandbox mounted)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
# The rate limits on, as in production, but their ceilings out of reach (every
# simulated customer comes from 127.0.0.1), and 127.0.0.1 an allowed Duitku address, as
# Duitku's own are (the sandbox's callbacks are then never counted). Counted where
# RATELIMIT_STORAGE_URI says (the app's database unless set).
LIMITS_OUT_OF_REACH = {
    "RATELIMIT_ENABLED": "1",
    **{f"RATELIMIT_{name}": "100000000/minute" for name in ("CHECKOUT", "LOGIN", "API", "QR_IMAGE")},
    "DUITKU_CALLBACK_ALLOWED_IPS": "127.0.0.1",
}
STARTUP_SECONDS = 90  # three processes importing the app at once on a busy 2-core machine
sys.path.insert(0, str(ROOT))

from tests.live_server import healthy, running, wait_ready  # noqa: E402
from tests.nginx_site import NGINX, nginx_command, site_config  # noqa: E402


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


@contextmanager
def sqlite_database():
    """An SQLite file in a temporary directory; yields its database URL. Serve it with one
    process (WEB_CONCURRENCY=1), as the README says for SQLite."""
    workdir = tempfile.mkdtemp(prefix="warung-bench-sqlite-")
    try:
        yield f"sqlite:///{workdir}/warung.sqlite3"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class App:
    def __init__(self, base_url: str, env: dict):
        self.base_url, self.env = base_url, env
        # The pids of the processes that serve it, by role ("app": the gunicorn masters,
        # "worker", "proxy": nginx and Redis), each the root of its tree of processes.
        self.processes: dict[str, list[int]] = {}

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
def gunicorn(app_module: str, env: dict, port: int, log_dir: str, pids: list[int] | None = None):
    """Serve `app_module` with the project's gunicorn.conf.py until the block ends (its
    master's pid added to `pids`)."""
    log_path = Path(log_dir) / "gunicorn.log"
    with open(log_path, "w") as log:  # gunicorn writes to its own copy of the descriptor
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", app_module],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    if pids is not None:
        pids.append(server.pid)
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
        with gunicorn("wsgi:app", env, port, instance, app.processes.setdefault("app", [])):
            yield app
    finally:
        keep_logs(Path(instance))
        shutil.rmtree(instance, ignore_errors=True)


def keep_logs(workdir: Path) -> None:
    """With BENCH_KEEP_LOGS=<directory>, the served site's logs (each instance's, nginx's,
    the worker's) are copied there before its throwaway directory goes: the requests a
    rush saw fail (a 502, say) are then in the servers' own words."""
    keep = os.environ.get("BENCH_KEEP_LOGS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for log in workdir.rglob("*.log"):
            shutil.copy(log, Path(keep) / "_".join(log.relative_to(workdir).parts))


@contextmanager
def redis_server(pids: list[int] | None = None):
    """A throwaway redis-server on a loopback port (no persistence; its pid added to
    `pids`); yields its URL."""
    command = shutil.which("redis-server")
    if not command:
        raise RuntimeError("needs redis-server (Debian package)")
    workdir = Path(tempfile.mkdtemp(prefix="warung-bench-redis-"))
    port = free_port()
    try:
        with running(
            [command, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
            workdir / "redis.log",
            lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(),
            cwd=workdir,
        ) as process:
            if pids is not None:
                pids.append(process.pid)
            yield f"redis://127.0.0.1:{port}/0"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def reference_deployment(database_url: str, extra_env: dict | None = None):
    """The reference deployment (deploy/) on this machine's loopback ports: nginx with
    deploy/nginx/warung.conf in front of two gunicorn instances (gunicorn.conf.py) that
    share the database, one redis-server (rate limits) and one instance directory (the
    built-in Duitku sandbox's state), plus `flask worker`. Yields an App at nginx."""
    if not NGINX:
        raise RuntimeError("the reference deployment needs nginx (Debian package)")
    workdir = Path(tempfile.mkdtemp(prefix="warung-bench-deployment-"))
    site_port, a_port, b_port = (free_port() for _ in range(3))
    instance = workdir / "instance"
    instance.mkdir()
    (workdir / "nginx").mkdir()
    gunicorn_command = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
    worker_command = [str(VENV_BIN / "flask"), "--app", "wsgi", "worker"]
    try:
        proxy: list[int] = []
        with redis_server(proxy) as redis_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "PUBLIC_BASE_URL": f"http://127.0.0.1:{site_port}",
                "SECRET_KEY": "bench-only",
                "WARUNG_INSTANCE_DIR": str(instance),
                "RATELIMIT_STORAGE_URI": redis_url,
                "PROXY_FIX_X_FOR": "1",
                **(extra_env or {}),
            }
            app = App(env["PUBLIC_BASE_URL"], env)
            app.flask("db", "upgrade")
            app.flask("seed-demo")

            def instance_at(port: int):
                env_at = {**env, "BIND": f"127.0.0.1:{port}"}
                return running(gunicorn_command, workdir / f"{port}.log", None, cwd=ROOT, env=env_at)

            with (
                instance_at(a_port) as a_process,
                instance_at(b_port) as b_process,
                running(worker_command, workdir / "worker.log", None, cwd=ROOT, env=env) as worker,
            ):
                # Started side by side (each takes seconds to import the app), then awaited.
                for process, port in ((a_process, a_port), (b_process, b_port)):
                    wait_ready(process, healthy(f"http://127.0.0.1:{port}"), workdir / f"{port}.log", STARTUP_SECONDS)
                site = nginx_command(workdir / "nginx", site_config(site_port, [a_port, b_port]), connections=4096)
                with running(site, workdir / "nginx.log", healthy(app.base_url)) as nginx:
                    app.processes.update(
                        app=[a_process.pid, b_process.pid], worker=[worker.pid], proxy=[*proxy, nginx.pid]
                    )
                    yield app
    finally:
        keep_logs(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
