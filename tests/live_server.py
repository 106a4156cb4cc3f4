"""Serving a WSGI app on a loopback port in a background thread, for tests that need
real HTTP (the Duitku sandbox, callbacks into the app, browsers)."""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

from werkzeug.serving import make_server


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
