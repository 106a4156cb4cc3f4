"""Load benchmark: the app under gunicorn on PostgreSQL, driven by wrk on 127.0.0.1.

    make bench            (or: .venv/bin/python bench/bench.py [SECONDS] [CONNECTIONS])

One run measures, with the same gunicorn settings (gunicorn.conf.py):
  (a) a bare Flask hello-world: the baseline
  (b) the status fragment of a pending QRIS order, as htmx polls it (nothing changed: 204)
  (c) the menu page, with issue 14's big menu (bench/big_menu.py: 80 items, 60 photos,
      10 option groups), after checking that it is answered from the list cache
  (d) Duitku callbacks, each for a different order (confirmation with Duitku off)
  (e) the partner status endpoint
  (f) the till page of a logged-in cashier, its draft holding 3 lines
and prints requests/s, p50 and p99 latency and the ratio to the baseline, plus the time
from a callback's arrival to the customer's status fragment showing paid. The rate
limits are off unless BENCH_LIMITS says where to count them (database or redis: see
LIMITS).
Everything runs on this machine; wrk is the Debian package.

Both servers are up together and the six runs are repeated in rounds (baseline first
in each), so every ratio compares runs made a few seconds apart: on a shared virtual
machine the CPU time stolen by other guests changes from minute to minute (it is
printed per run, with the load average before each round). The table gives the median
round of each endpoint.
"""

import contextlib
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

import process_cpu
from harness import LIMITS_OUT_OF_REACH, App, free_port, gunicorn, postgres, redis_server, served_app

# BENCH_LIMITS=database or redis: the rate limits on, as in production, counted in the
# app's database (the default) or in a redis-server, their ceilings out of reach (wrk
# is one address). Default: off.
LIMITS = {
    "off": {"RATELIMIT_ENABLED": "0"},
    "database": {**LIMITS_OUT_OF_REACH, "RATELIMIT_STORAGE_URI": "database://"},
}
LIMITS["redis"] = LIMITS["database"]
CALLBACK_ORDERS = 9000
CALLBACKS_PER_ROUND = 3000  # more than one 5 s run can use: every callback is for a new order
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, seconds: int, connections: int, threads: int = 2, script: str | None = None, headers: dict | None = None
) -> dict:
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
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def setup_data(app: App) -> dict:
    """A pending QRIS order (through the real checkout and sandbox), distinct pending
    payments for callbacks, and a partner payment."""
    script = Path(__file__).resolve().parent / "setup_data.py"
    output = subprocess.run(
        [str(Path(sys.executable)), str(script), str(CALLBACK_ORDERS), app.base_url],
        env=app.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in output.strip().splitlines())


def callback_script(path: str, bodies_file: str, first: int) -> None:
    """wrk sends the signed callback bodies from line `first` on, one per request."""
    Path(path).write_text(f"""
local bodies = {{}}
for line in io.lines("{bodies_file}") do bodies[#bodies + 1] = line end
local i = {first}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/webhooks/duitku", nil, bodies[((i - 1) % #bodies) + 1])
end
""")


def settle(quiet_share: float = 0.8, window: float = 0.25, most: float = 20.0) -> float:
    """Wait until the machine is quiet (at least `quiet_share` of its CPU time idle over
    `window` seconds), at most `most` seconds; return the seconds waited. A run that
    ends leaves its server working through the requests still queued (the till page's
    run, 100 connections at about 1.5 s each, for seconds): without this, those ate into
    the next run, the next round's baseline most of all, and inflated every ratio."""

    def counters():
        ticks = process_cpu.cpu_ticks()
        return sum(ticks), ticks[3] + ticks[4]  # total, idle + iowait

    started = time.monotonic()
    while time.monotonic() - started < most:
        total_before, idle_before = counters()
        time.sleep(window)
        total_after, idle_after = counters()
        if idle_after - idle_before >= quiet_share * (total_after - total_before):
            break
    return time.monotonic() - started


def cpu_steal_percent(run):
    """Run `run()` and return (its result, the share of CPU time stolen meanwhile)."""

    def counters():
        ticks = process_cpu.cpu_ticks()
        return sum(ticks), ticks[7]  # total, steal

    total_before, steal_before = counters()
    result = run()
    total_after, steal_after = counters()
    return result, 100 * (steal_after - steal_before) / max(1, total_after - total_before)


def callback_to_paid_ms(app: App, data: dict) -> float:
    """Send one signed callback, and poll the order's fragment until it shows paid."""
    session = requests.Session()
    started = time.perf_counter()
    session.post(
        app.base_url + "/api/v1/webhooks/duitku",
        data=data["paid_probe_callback_form"],
        timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    while "Pembayaran diterima" not in session.get(app.base_url + data["paid_probe_status"], timeout=10).text:
        pass
    return (time.perf_counter() - started) * 1000


def median(values):
    return sorted(values)[len(values) // 2]


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    limits = os.environ.get("BENCH_LIMITS", "off")
    if limits not in LIMITS:
        sys.exit(f"BENCH_LIMITS: one of {', '.join(LIMITS)}")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    runs: dict[str, list[dict]] = {}
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        base = stack.enter_context(gunicorn("bench.hello:app", {**os.environ}, free_port(), tmp))
        database_url = stack.enter_context(postgres())
        settings = {"DUITKU_CONFIRM_CALLBACKS": "0", **LIMITS[limits]}
        if limits == "redis":
            settings["RATELIMIT_STORAGE_URI"] = stack.enter_context(redis_server())
        app = stack.enter_context(served_app(database_url, settings))
        data = setup_data(app)
        print(f"menu: {data['menu']}; SQL statements of a menu request once cached: {data['menu_statements']}")
        for round_ in range(rounds):
            settled = settle()
            load = os.getloadavg()[0]
            callback_script(f"{tmp}/callbacks.lua", data["callback_bodies"], round_ * CALLBACKS_PER_ROUND)
            plan = {
                "(a) bare Flask hello-world": lambda: wrk(base + "/", seconds, connections),
                "(b) status fragment, pending QRIS": lambda: wrk(
                    app.base_url + data["status_url"], seconds, connections, headers={"HX-Request": "true"}
                ),
                "(c) menu page": lambda: wrk(app.base_url + "/", seconds, connections),
                "(d) Duitku callbacks, distinct orders": lambda: wrk(
                    app.base_url + "/api/v1/webhooks/duitku",
                    seconds,
                    min(connections, 50),
                    threads=1,
                    script=f"{tmp}/callbacks.lua",
                ),
                "(e) partner status endpoint": lambda: wrk(
                    app.base_url + f"/api/v1/payments/{data['transaction_id']}",
                    seconds,
                    connections,
                    headers={"Authorization": f"Bearer {data['api_key']}"},
                ),
                "(f) till page, cashier, 3-line draft": lambda: wrk(
                    app.base_url + data["till_url"],
                    seconds,
                    connections,
                    headers={"Cookie": data["till_cookie"], "User-Agent": data["till_user_agent"]},
                ),
            }
            for name, run in plan.items():
                settle()
                result, steal = cpu_steal_percent(run)
                runs.setdefault(name, []).append({**result, "steal": steal})
            baseline = runs["(a) bare Flask hello-world"][-1]["rps"]
            print(
                f"round {round_ + 1} (load {load:.2f}, quiet after {settled:.1f} s): "
                + ", ".join(
                    f"{name.split()[0]} {results[-1]['rps']:.0f}/s ({results[-1]['rps'] / baseline:.0%}, "
                    f"steal {results[-1]['steal']:.0f}%)"
                    for name, results in runs.items()
                ),
                flush=True,
            )
        delays = sorted(
            callback_to_paid_ms(app, {**data, "paid_probe_callback_form": form, "paid_probe_status": status})
            for form, status in zip(data["probe_forms"].split("|"), data["probe_status"].split("|"), strict=True)
        )
    baselines = [run["rps"] for run in runs["(a) bare Flask hello-world"]]
    print(
        f"wrk: {seconds} s per run, {connections} connections (callbacks: {min(connections, 50)}), "
        f"{rounds} rounds, {os.cpu_count()} cores, {date.today().isoformat()}, rate limits {limits}; "
        "medians of the rounds"
    )
    print("| endpoint | requests/s | p50 | p99 | vs baseline (same round) | CPU stolen | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name, results in runs.items():
        ratios = [run["rps"] / baseline for run, baseline in zip(results, baselines, strict=True)]
        print(
            f"| {name} | {median([r['rps'] for r in results]):.0f} | {median([r['p50'] for r in results]):.1f} ms | "
            f"{median([r['p99'] for r in results]):.1f} ms | {median(ratios):.0%} | "
            f"{median([r['steal'] for r in results]):.0f}% | {sum(r['errors'] for r in results)} |"
        )
    print(
        f"callback arrival -> status fragment shows paid: median {delays[len(delays) // 2]:.0f} ms, "
        f"max {delays[-1]:.0f} ms ({len(delays)} orders)"
    )


if __name__ == "__main__":
    main()
