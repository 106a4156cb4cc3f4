"""Where item photos are kept: a small interface (put, delete, url) and its default,
a folder in the instance directory served by the app itself.

Photo files are named by their content's hash, so a name always means the same bytes:
they are served with a year-long `immutable` cache header, and a replaced photo gets a
new name instead of a stale copy in some phone's cache. Another store (a bucket behind a
CDN) only has to implement the three methods and be installed as
`app.extensions["photo_storage"]`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app, send_from_directory, url_for

YEAR_SECONDS = 365 * 24 * 3600
# Names the app writes: a hex hash, a size and a format (see photos.py).
_PHOTO_NAME = re.compile(r"^[0-9a-f]{16,64}-[a-z]+\.(webp|jpg)$")


class PhotoStorage(Protocol):
    def put(self, name: str, data: bytes) -> None: ...

    def delete(self, name: str) -> None: ...

    def url(self, name: str) -> str: ...


class InstanceFolderStorage:
    """Photos as files under `root` (instance/photos), served at /photos/<name>."""

    def __init__(self, root: Path):
        self.root = root

    def put(self, name: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".{name}.part"
        temporary.write_bytes(data)
        temporary.replace(self.root / name)  # readers never see half a file

    def delete(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def url(self, name: str) -> str:
        return url_for("menu_photo", name=name)

    def serve(self, name: str):
        if not _PHOTO_NAME.match(name):
            return "", 404
        response = send_from_directory(self.root, name, max_age=YEAR_SECONDS, conditional=True)
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response


def storage() -> PhotoStorage:
    return current_app.extensions["photo_storage"]


def install(app: Flask) -> None:
    """The instance folder store, unless one was installed before."""
    if "photo_storage" not in app.extensions:
        folder = InstanceFolderStorage(Path(app.config["PHOTO_DIR"] or Path(app.instance_path) / "photos"))
        app.extensions["photo_storage"] = folder
        app.add_url_rule("/photos/<name>", "menu_photo", folder.serve)
