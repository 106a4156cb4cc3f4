"""HTTP to addresses that partners choose (their webhook URLs).

A partner's URL must not reach this machine or the networks behind it (blind SSRF):
the address a connection actually reaches is checked, after DNS, on every attempt, so
a name that later resolves to 127.0.0.1 or 169.254.169.254 is refused then too, and
redirects are never followed. Sent directly: HTTP(S)_PROXY settings are not used.
`allow_private` (PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES) lifts the check for
development and tests, whose receivers listen on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class AddressRefused(Exception):
    """The URL's host is, or resolved to, an address partners' URLs may not reach."""


def non_public_kind(address: str) -> str | None:
    """What kind of non-public address this is (loopback, link-local, multicast,
    private, reserved), or None for a public one."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "reserved"


def _refuse_unless_public(host: str, address: str) -> None:
    kind = non_public_kind(address)
    if kind is not None:
        raise AddressRefused(f"{host} is a {kind} address ({address})")


def check_url(url: str) -> None:
    """Refuse a URL whose host resolves to a non-public address now (when it is set;
    every delivery checks again). A name that does not resolve yet passes."""
    host = urlsplit(url).hostname
    if not host:
        raise AddressRefused(f"{url} names no host")
    try:
        # The first item of an AF_INET or AF_INET6 socket address is the address text.
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return
    for address in sorted(addresses):
        _refuse_unless_public(host, address)


# The mixin's base for mypy: the connection class it is mixed into.
if TYPE_CHECKING:
    _Connection = HTTPConnection
else:
    _Connection = object


class _PublicPeerOnly(_Connection):
    """Checks the address the new socket is connected to, before anything is sent."""

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            _refuse_unless_public(self.host, sock.getpeername()[0])
        except AddressRefused:
            sock.close()
            raise
        return sock


class _PublicHTTPConnection(_PublicPeerOnly, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeerOnly, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}


def post(url: str, *, allow_private: bool, **kwargs) -> requests.Response:
    """POST without following redirects; raises AddressRefused for a non-public
    destination unless `allow_private`."""
    with requests.Session() as session:
        session.trust_env = False
        if not allow_private:
            adapter = _PublicOnlyAdapter()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        return session.post(url, allow_redirects=False, **kwargs)
