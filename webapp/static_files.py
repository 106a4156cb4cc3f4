"""Static file URLs that change when the file does: `url_for("static", ...)` gets
`?v=<first 12 hex of the file's SHA-256>`, so nginx (deploy/nginx/warung.conf) can serve
/static/ with a one-year immutable cache and a new release is still fetched at once.
Each file is hashed once per process (the files do not change under a running app)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    root = Path(app.static_folder or "")

    @cache
    def version(filename: str) -> str | None:
        try:
            return hashlib.sha256((root / filename).read_bytes()).hexdigest()[:12]
        except OSError:  # not a file (a typo in a template): the URL stays as it was
            return None

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            digest = version(values.get("filename", ""))
            if digest is not None:
                values["v"] = digest
