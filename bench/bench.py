"""Load benchmark: the app under gunicorn on PostgreSQL, driven by wrk on 127.0.0.1.

    make bench            (or: .venv/bin/python bench/bench.py [SECONDS] [CONNECTIONS])

One run measures, with the same gunicorn settings (gunicorn.conf.py):
  (a) a bare Flask hello-world: the baseline
  (b) the status fragment of a pending QRIS order, as htmx polls it (nothing changed: 204)
  (c) the menu page
  (d) Duitku callbacks, each for a different order (confirmation with Duitku off)
  (e) the partner status endpoint
and prints requests/s, p50 and p99 latency and the ratio to the baseline, plus the time
from a callback's arrival to the customer's status fragment showing paid.
Everything runs on this machine; wrk is the Debian package.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import App, free_port, gunicorn, postgres, served_app  # noqa: E402

CALLBACK_ORDERS = 6000
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int, threads: int = 2, script: str | None = None,
        headers: dict | None = None) -> dict:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "p50": latency("50"),
            "p99": latency("99"), "errors": int(non_2xx.group(1)) if non_2xx else 0,
            "requests": int(re.search(r"(\d+) requests in", output).group(1))}


def setup_data(app: App) -> dict:
    """A pending QRIS order (through the real checkout and sandbox), distinct pending
    payments for callbacks, and a partner payment."""
    script = Path(__file__).resolve().parent / "setup_data.py"
    output = subprocess.run([str(Path(sys.executable)), str(script), str(CALLBACK_ORDERS), app.base_url],
                            env=app.env, capture_output=True, text=True, check=True).stdout
    return dict(line.split("=", 1) for line in output.strip().splitlines())


def callback_script(path: str, bodies_file: str) -> None:
    Path(path).write_text(f"""
local bodies = {{}}
for line in io.lines("{bodies_file}") do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/webhooks/duitku", nil, bodies[((i - 1) % #bodies) + 1])
end
""")


def callback_to_paid_ms(app: App, data: dict) -> float:
    """Send one signed callback, and poll the order's fragment until it shows paid."""
    session = requests.Session()
    started = time.perf_counter()
    session.post(app.base_url + "/api/v1/webhooks/duitku", data=data["paid_probe_callback_form"], timeout=10,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    while "Pembayaran diterima" not in session.get(app.base_url + data["paid_probe_status"], timeout=10).text:
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        with gunicorn("bench.hello:app", {**os.environ}, port, tmp) as base:
            results["(a) bare Flask hello-world"] = wrk(base + "/", seconds, connections)
        with postgres() as database_url, served_app(database_url, {"DUITKU_CONFIRM_CALLBACKS": "0"}) as app:
            data = setup_data(app)
            results["(b) status fragment, pending QRIS"] = wrk(
                app.base_url + data["status_url"], seconds, connections, headers={"HX-Request": "true"})
            results["(c) menu page"] = wrk(app.base_url + "/", seconds, connections)
            callback_script(f"{tmp}/callbacks.lua", data["callback_bodies"])
            results["(d) Duitku callbacks, distinct orders"] = wrk(
                app.base_url + "/api/v1/webhooks/duitku", seconds, min(connections, 50), threads=1,
                script=f"{tmp}/callbacks.lua")
            results["(e) partner status endpoint"] = wrk(
                app.base_url + f"/api/v1/payments/{data['transaction_id']}", seconds, connections,
                headers={"Authorization": f"Bearer {data['api_key']}"})
            delays = sorted(callback_to_paid_ms(app, {**data, "paid_probe_callback_form": form,
                                                      "paid_probe_status": status})
                            for form, status in zip(data["probe_forms"].split("|"), data["probe_status"].split("|"), strict=True))
    baseline = results["(a) bare Flask hello-world"]["rps"]
    print(f"wrk: {seconds} s per run, {connections} connections (callbacks: {min(connections, 50)}), "
          f"{os.cpu_count()} cores, {date.today().isoformat()}")
    print("| endpoint | requests/s | p50 | p99 | vs baseline | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, result in results.items():
        print(f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} ms | {result['p99']:.1f} ms | "
              f"{result['rps'] / baseline:.0%} | {result['errors']} |")
    print(f"callback arrival -> status fragment shows paid: median {delays[len(delays) // 2]:.0f} ms, "
          f"max {delays[-1]:.0f} ms ({len(delays)} orders)")


if __name__ == "__main__":
    main()
