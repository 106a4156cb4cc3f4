"""Static URLs carry the file's content hash, so a long cache never serves an old file."""

import hashlib
from pathlib import Path

from flask import url_for


def test_static_urls_name_the_files_content(app):
    css = Path(app.static_folder) / "css" / "app.css"
    digest = hashlib.sha256(css.read_bytes()).hexdigest()[:12]
    with app.test_request_context():
        assert url_for("static", filename="css/app.css") == f"/static/css/app.css?v={digest}"
        assert url_for("static", filename="missing.css") == "/static/missing.css"


def test_pages_link_versioned_static_files_that_are_served(client, menu):
    page = client.get("/").get_data(as_text=True)
    assert "/static/css/app.css?v=" in page
    start = page.index("/static/css/app.css?v=")
    assert client.get(page[start : page.index('"', start)]).status_code == 200
