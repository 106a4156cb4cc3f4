import threading
from dataclasses import dataclass, field

import pytest

from tests import factories as make
from tests.live_server import serving


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


@pytest.fixture
def endpoint():
    receiver = PartnerEndpoint()
    with serving(receiver) as url:
        receiver.url = url + "/hooks/warung"
        yield receiver


@pytest.fixture
def pos(app, endpoint) -> make.PartnerAccount:
    """The restaurant's own counter POS: its license may act on web orders."""
    return make.partner("Kasir Nusantara", webhook_url=endpoint.url, store="Toko Sinar Jaya", counter_pos=True)


@pytest.fixture
def other_pos(app) -> make.PartnerAccount:
    """A partner with no relation to the restaurant's web orders."""
    return make.partner("POS Lain", store="Toko Lain")
