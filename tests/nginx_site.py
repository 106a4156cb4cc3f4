"""nginx with the shipped site file (deploy/nginx/warung.conf) on loopback ports, run
unprivileged in a directory: for the deployment test and the benchmarks' reference
deployment (bench/harness.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.live_server import ROOT

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
SITE = ROOT / "deploy" / "nginx" / "warung.conf"


def site_config(nginx_port: int, app_ports: list[int]) -> str:
    """deploy/nginx/warung.conf with these ports and this checkout; each replaced line
    must be found, so the copy follows the shipped file."""
    site = SITE.read_text()
    replacements = [
        ("    listen 80;\n", f"    listen 127.0.0.1:{nginx_port};\n"),
        ("    listen [::]:80;\n", ""),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{app_ports[0]} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{app_ports[1]} "),
        ("alias /srv/warung/app/static/;", f"alias {ROOT / 'static'}/;"),
    ]
    for old, new in replacements:
        if site.count(old) != 1:
            raise RuntimeError(f"{old!r} not once in {SITE}")
        site = site.replace(old, new)
    return site


def nginx_command(directory: Path, site: str, connections: int = 256) -> list[str]:
    """nginx in the foreground, its files in `directory`, serving `site` with up to
    `connections` connections."""
    config = nginx_config(directory, site, connections)
    return [
        str(NGINX),
        "-p",
        str(directory),
        "-e",
        str(directory / "error.log"),
        "-g",
        "daemon off;",
        "-c",
        str(config),
    ]


def nginx_config(directory: Path, site: str, connections: int) -> Path:
    """A main nginx.conf that runs unprivileged in `directory`, including the site."""
    (directory / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the checkout
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"{kind}_temp_path {directory / kind};\n" for kind in kinds)
    config = directory / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\npid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'};\n"
        f"events {{ worker_connections {connections}; }}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {directory / 'access.log'};\n{temp}"
        f"include {directory / 'site.conf'};\n}}\n"
    )
    return config
