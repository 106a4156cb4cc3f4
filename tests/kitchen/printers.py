"""A fake ESC/POS network printer: a loopback TCP server that records what it is sent."""

from __future__ import annotations

import socket
import threading


class FakePrinter:
    """Listens on 127.0.0.1 (a free port); `received` holds each connection's bytes.
    `stop()` closes it (the printer is off: connecting is refused); `start()` again on
    the same port (it comes back)."""

    def __init__(self):
        self.received: list[bytes] = []
        self.port = 0
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._got = threading.Condition()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FakePrinter:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen()
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
        self._thread.start()
        return self

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                connection, _address = server.accept()
            except OSError:
                return
            with connection:
                chunks = []
                while chunk := connection.recv(4096):
                    chunks.append(chunk)
            with self._got:
                self.received.append(b"".join(chunks))
                self._got.notify_all()

    def wait_for(self, count: int, timeout: float = 10) -> list[bytes]:
        """The bytes of the first `count` tickets, once that many have arrived."""
        with self._got:
            self._got.wait_for(lambda: len(self.received) >= count, timeout)
        return self.received[:count]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone does not)
            self._server.close()
            self._thread.join(timeout=5)
            self._server = None
