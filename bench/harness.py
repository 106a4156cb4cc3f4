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


NGINX_SITE = ROOT / "deploy" / "nginx" / "warung.conf"


def _wait_until(check, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            check()
            return
        except Exception as exc:  # any failure means "not yet"
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not come up") from exc
            time.sleep(0.2)


@contextmanager
def _process(command: list[str], log_path: Path, **popen):
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _nginx_config(directory: Path, site_port: int, app_ports: list[int]) -> Path:
    """deploy/nginx/warung.conf with these ports and this checkout's static files, in a
    main nginx.conf that runs in `directory`; each replaced line must be found."""
    site = NGINX_SITE.read_text()
    for old, new in (
        ("    listen 80;\n", f"    listen 127.0.0.1:{site_port};\n"),
        ("    listen [::]:80;\n", ""),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{app_ports[0]} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{app_ports[1]} "),
        ("alias /srv/warung/app/static/;", f"alias {ROOT / 'static'}/;"),
    ):
        if site.count(old) != 1:
            raise RuntimeError(f"{old!r} is not in {NGINX_SITE} once")
        site = site.replace(old, new)
    (directory / "site.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {directory / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = directory / "nginx.conf"
    config.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'};\n"
        + "events { worker_connections 4096; }\n"
        + f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}include {directory / 'site.conf'};\n}}\n"
    )
    return config


@contextmanager
def redis_server():
    """A throwaway redis-server on a loopback port (no persistence); yields its URL."""
    command = shutil.which("redis-server")
    if not command:
        raise RuntimeError("needs redis-server (Debian package)")
    workdir = Path(tempfile.mkdtemp(prefix="warung-bench-redis-"))
    port = free_port()
    try:
        with _process(
            [command, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
            workdir / "redis.log",
            cwd=workdir,
        ):
            _wait_until(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(), "redis-server")
            yield f"redis://127.0.0.1:{port}/0"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def reference_deployment(database_url: str, extra_env: dict | None = None):
    """The reference deployment (deploy/) on this machine's loopback ports: nginx with
    deploy/nginx/warung.conf in front of two gunicorn instances (gunicorn.conf.py) that
    share the database, one redis-server (rate limits) and one instance directory (the
    built-in Duitku sandbox's state), plus `flask worker`. Yields an App at nginx."""
    nginx = shutil.which("nginx", path=os.environ["PATH"] + ":/usr/sbin:/sbin")
    if not nginx:
        raise RuntimeError("the reference deployment needs nginx (Debian package)")
    workdir = Path(tempfile.mkdtemp(prefix="warung-bench-deployment-"))
    site_port, a_port, b_port = (free_port() for _ in range(3))
    instance = workdir / "instance"
    instance.mkdir()
    (workdir / "nginx").mkdir()
    gunicorn_command = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
    try:
        with redis_server() as redis_url:
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
            with (
                _process(gunicorn_command, workdir / "a.log", cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{a_port}"}),
                _process(gunicorn_command, workdir / "b.log", cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{b_port}"}),
                _process(
                    [str(VENV_BIN / "flask"), "--app", "wsgi", "worker"], workdir / "worker.log", cwd=ROOT, env=env
                ),
            ):
                for port in (a_port, b_port):
                    _wait_until(
                        lambda port=port: requests.get(
                            f"http://127.0.0.1:{port}/healthz", timeout=5
                        ).raise_for_status(),
                        f"gunicorn on {port}",
                    )
                config = _nginx_config(workdir / "nginx", site_port, [a_port, b_port])
                logs = workdir / "nginx"
                nginx_command = [
                    nginx,
                    "-p",
                    str(logs),
                    "-e",
                    str(logs / "error.log"),
                    "-g",
                    "daemon off;",
                    "-c",
                    str(config),
                ]
                with _process(nginx_command, workdir / "nginx.log"):
                    _wait_until(lambda: requests.get(app.base_url + "/healthz", timeout=5).raise_for_status(), "nginx")
                    yield app
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
