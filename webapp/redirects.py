"""Where a `next` parameter may send the browser: a path on this site, nothing else."""

from urllib.parse import urlsplit, urlunsplit


def local_path(target: str | None) -> str | None:
    """The path and query `target` names on this site, or None if it could lead anywhere else.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    `/<tab>/evil.example` and `/\\evil.example` both leave the site: any control
    character or backslash is refused, and the answer is rebuilt from the parsed path
    and query alone (never a scheme, host or fragment).
    """
    if not target or "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))
