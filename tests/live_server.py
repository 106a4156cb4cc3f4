"""Serving the app for tests that need real HTTP: a WSGI app on a loopback port in a
background thread (the Duitku sandbox, callbacks into the app), or the app under the
real gunicorn with the project's gunicorn.conf.py, in its own processes."""
from __future__ import annotations

import os
import socket
import subprocess
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


@contextmanager
def gunicorn(env: dict[str, str | None], log_path: Path):
    """Yield the base URL of `wsgi:app` under gunicorn (`gunicorn -c gunicorn.conf.py`) on
    a free loopback port, configured by `env` on top of this process's environment (None
    removes a variable); its output goes to `log_path`. Stopped afterwards."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "PUBLIC_BASE_URL": base_url, **env}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "wsgi:app"], cwd=ROOT, env={name: value for name, value in environment.items() if value is not None},
            stdout=log, stderr=subprocess.STDOUT)
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
