import threading
from dataclasses import dataclass, field

import pytest

from tests.live_server import serving
from webapp.partners import accounts as partners


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


@dataclass
class PartnerAccount:
    partner: object
    api_key: str
    license_key: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.api_key}"}


@pytest.fixture
def pos(app, endpoint) -> PartnerAccount:
    """The restaurant's own counter POS: its license may act on web orders."""
    partner, api_key = partners.create_partner("Kasir Nusantara", endpoint.url)
    license_ = partners.add_license(partner, "Toko Sinar Jaya", counter_pos=True)
    return PartnerAccount(partner, api_key, license_.key)


@pytest.fixture
def other_pos(app) -> PartnerAccount:
    """A partner with no relation to the restaurant's web orders."""
    partner, api_key = partners.create_partner("POS Lain")
    return PartnerAccount(partner, api_key, partners.add_license(partner, "Toko Lain").key)
