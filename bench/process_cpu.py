"""CPU seconds taken by trees of processes (the app's, the database's), read from
/proc (Linux), so that a benchmark can tell what the app took from what its load
generator took on the same cores.

A tree's seconds are those of every process in it (utime and stime, /proc/<pid>/stat
fields 14 and 15) plus those of the children each has reaped (cutime and cstime, 16
and 17). So the difference between two readings counts, between them, the processes
that were there at both, those that appeared (a gunicorn worker spawned again, a
PostgreSQL backend for a new connection) and, once their parent has reaped them, those
that ended.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far in ticks, all cores together: user, nice, system,
    idle, iowait, irq, softirq, steal... (the first line of /proc/stat)."""
    return [int(count) for count in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/<pid>/stat's fields from the third on (after "pid (command) ")."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def parent(pid: int) -> int:
    return int(_stat_fields(pid)[1])


def _processes() -> dict[int, tuple[int, float]]:
    """Every process on the machine: its parent and its CPU seconds with its reaped
    children's."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat_fields(stat.parent.name)
        except OSError:  # ended meanwhile
            continue
        found[int(stat.parent.name)] = (int(fields[1]), sum(int(ticks) for ticks in fields[11:15]) / TICKS)
    return found


def _tree_seconds(roots: list[int], processes: dict[int, tuple[int, float]]) -> float:
    children: dict[int, list[int]] = {}
    for pid, (parent, _seconds) in processes.items():
        children.setdefault(parent, []).append(pid)
    seconds, waiting = 0.0, [pid for pid in roots if pid in processes]
    while waiting:
        pid = waiting.pop()
        seconds += processes[pid][1]
        waiting += children.get(pid, [])
    return seconds


def _machine_seconds() -> float:
    """The CPU seconds all cores spent busy (not idle nor waiting for I/O) so far."""
    ticks = cpu_ticks()[:8]  # the rest (guest time) is counted in user time already
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS  # the fourth and fifth: idle, iowait


def read(trees: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds so far of each named group of trees (by their roots' pids), of this
    process under "self", and of the whole machine under "machine"."""
    processes = _processes()
    times = os.times()
    return {"self": times.user + times.system, "machine": _machine_seconds()} | {
        name: _tree_seconds(roots, processes) for name, roots in trees.items()
    }
