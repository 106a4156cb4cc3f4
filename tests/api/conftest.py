import pytest

from tests import factories as make
from tests.live_server import serving
from tests.partner_endpoint import PartnerEndpoint


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
