"""Serving a WSGI app on a loopback port in a background thread, for tests that need
real HTTP (the Duitku sandbox, callbacks into the app, browsers)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def serving(wsgi_app, host: str = "127.0.0.1"):
    """Yield the base URL of `wsgi_app` served on a free port; stop it afterwards."""
    server = make_server(host, 0, wsgi_app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(database_uri: str, instance_dir: Path, **settings: str | None):
    """The app under gunicorn with gunicorn.conf.py (as `make serve` runs it), in its
    own process on a free loopback port; yields its base URL. Its output goes to
    `instance_dir`/gunicorn.log. A setting given as None is removed from the
    environment, so gunicorn.conf.py's or the app's default applies."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
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
    env = {name: value for name, value in env.items() if value is not None}
    log_path = instance_dir / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    requests.get(base_url + "/healthz", timeout=5)
                    break
                except requests.RequestException as exc:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not start:\n" + log_path.read_text()[-3000:]) from exc
                    time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=30)
