"""Whether a URL lies under a base URL, judged the way an HTTP client would connect."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_and_path(url: str) -> tuple[tuple[str, str, int], str] | None:
    """(scheme, host, port) and path of an absolute http(s) URL; None for anything
    else, including user info, backslashes, spaces or control characters, which HTTP
    clients and browsers read differently."""
    if any(char <= " " or char == "\\" or char > "~" for char in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return (parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]), parts.path


def under_base(url: str, base: str) -> bool:
    """Same scheme, host and port as `base`, and a path at or below base's path."""
    target, allowed = _origin_and_path(url), _origin_and_path(base)
    if target is None or allowed is None or target[0] != allowed[0]:
        return False
    base_path = allowed[1].rstrip("/")
    return target[1] == base_path or target[1].startswith(base_path + "/")
