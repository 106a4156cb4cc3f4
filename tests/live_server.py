"""Serving a WSGI app on a loopback port in a background thread, for tests that need
real HTTP (the Duitku sandbox, callbacks into the app, browsers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import requests
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def serving(wsgi_app, host: str = "127.0.0.1", ssl_context=None):
    """Yield the base URL of `wsgi_app` served on a free port (over HTTPS with
    `ssl_context`, e.g. (certificate file, key file)); stop it afterwards."""
    server = make_server(host, 0, wsgi_app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"{'https' if ssl_context else 'http'}://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(command: list[str], log_path: Path, ready: Callable[[], object] | None, **popen):
    """Start `command` (output to `log_path`), wait until `ready()` returns without
    raising (unless it is None: see `wait_ready`), yield the process; stop it afterwards
    (SIGTERM, then SIGKILL)."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
        try:
            if ready is not None:
                wait_ready(process, ready, log_path)
            yield process
        finally:
            stop(process)


def wait_ready(process: subprocess.Popen, ready: Callable[[], object], log_path: Path, seconds: float = 30) -> None:
    """Wait up to `seconds` until `ready()` returns without raising; fail with the
    process's log if it ends or the time runs out first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ready()
            return
        except Exception as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{process.args[0]} did not start:\n" + log_path.read_text()[-3000:]) from exc
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if it has not ended 30 s later."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn_env(database_uri: str, instance_dir: Path, base_url: str, **settings: str | None) -> dict[str, str]:
    """The environment of the app under gunicorn; a setting given as None is removed,
    so gunicorn.conf.py's or the app's default applies."""
    env = {
        **os.environ,
        "DATABASE_URL": database_uri,
        "PUBLIC_BASE_URL": base_url,
        "SECRET_KEY": "gunicorn-tests",
        "WARUNG_INSTANCE_DIR": str(instance_dir),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "8",
        "GUNICORN_ACCESS_LOG": "",
        "DUITKU_BASE_URL": "",
        **settings,
    }
    return {name: value for name, value in env.items() if value is not None}


def healthy(base_url: str) -> Callable[[], object]:
    """A readiness check: /healthz answers 200."""
    return lambda: requests.get(base_url + "/healthz", timeout=5).raise_for_status()


@contextmanager
def gunicorn_process(database_uri: str, instance_dir: Path, port: int, *, wait: bool = True, **settings: str | None):
    """The app under gunicorn with gunicorn.conf.py (as `make serve` runs it) on a
    loopback port, its output in `instance_dir`/gunicorn.log; yields the process, once
    it answers unless `wait` is off."""
    base_url = f"http://127.0.0.1:{port}"
    env = gunicorn_env(database_uri, instance_dir, base_url, **settings)
    with running(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        instance_dir / "gunicorn.log",
        healthy(base_url) if wait else None,
        cwd=ROOT,
        env=env,
    ) as process:
        yield process


@contextmanager
def gunicorn_serving(database_uri: str, instance_dir: Path, **settings: str | None):
    """The app under gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    with gunicorn_process(database_uri, instance_dir, port, **settings):
        yield f"http://127.0.0.1:{port}"
