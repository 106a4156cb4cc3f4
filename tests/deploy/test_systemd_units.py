"""The systemd units of the reference deployment (deploy/systemd) are sandboxed: every
unit sets each setting the deployment relies on (read here from the files), and
`systemd-analyze security`, reading the files offline (systemd 250 or later; `.ci/run`
installs it), rates each no more exposed than EXPOSURE_LIMIT on its 0-10 scale (a unit
with only the settings of before rated 8.5, "EXPOSED").

What the sandbox leaves out, and why, is said in the units themselves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live_server import ROOT

UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
EXPOSURE_LIMIT = 2.0
SANDBOX = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "PrivateMounts": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "ReadWritePaths": "/srv/warung/instance",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "ProtectClock": "yes",
    "ProtectHostname": "yes",
    "ProtectProc": "invisible",
    "ProcSubset": "pid",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "RemoveIPC": "yes",
    "SystemCallArchitectures": "native",
    "SystemCallFilter": "@system-service",
    "SystemCallErrorNumber": "EPERM",
    "UMask": "0027",
}


def service_settings(unit: Path) -> dict[str, list[str]]:
    """The [Service] section's settings: each name with its values, in order."""
    settings: dict[str, list[str]] = {}
    section = None
    for line in (raw.strip() for raw in unit.read_text().splitlines()):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Service" and line and not line.startswith(("#", ";")):
            name, _, value = line.partition("=")
            settings.setdefault(name.strip(), []).append(value.strip())
    return settings


def test_there_are_units_to_check():
    assert {unit.name for unit in UNITS} == {"warung-web@.service", "warung-worker.service"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_every_unit_sets_the_sandbox(unit):
    settings = service_settings(unit)
    assert {name: settings.get(name) for name in SANDBOX} == {name: [value] for name, value in SANDBOX.items()}


def offline_security_analysis() -> str:
    """systemd-analyze, if it can rate a unit file offline; else skip (fail in CI)."""
    analyze = shutil.which("systemd-analyze")
    reason = "systemd-analyze is not installed"
    if analyze is not None:
        probe = subprocess.run([analyze, "--help"], check=False, capture_output=True, text=True)
        if "--offline" in probe.stdout:
            return analyze
        reason = "this systemd-analyze cannot read unit files offline (systemd < 250)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_systemd_rates_every_unit_sandboxed(unit):
    analyze = offline_security_analysis()
    analysis = subprocess.run(
        [analyze, "security", "--offline=true", "--no-pager", str(unit)], capture_output=True, text=True, check=True
    ).stdout
    rating = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", analysis)
    assert rating is not None, analysis
    assert float(rating.group(1)) <= EXPOSURE_LIMIT, analysis
