"""A partner's webhook receiver, served by tests with `tests.live_server.serving`."""

import threading
from dataclasses import dataclass, field


@dataclass
class PartnerEndpoint:
    """A partner's webhook receiver: records every request, answers `status`."""

    url: str = ""
    status: int = 200
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        with self.lock:
            self.received.append({"body": body, "signature": environ.get("HTTP_WARUNG_SIGNATURE", "")})
        start_response(f"{self.status} X", [("Content-Type", "text/plain")])
        return [b"ok"]
