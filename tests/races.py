"""Real races on PostgreSQL: steps run in threads of their own, each with its own app
context (so its own session and database connection), released together. SQLite runs
one writer at a time (the app begins each write transaction IMMEDIATE), so the races
these helpers stage happen on PostgreSQL only."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState

from tests.db_helpers import end_transaction
from webapp.extensions import db

SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter each: its own app, engine and connections
HOLD = 0.3  # seconds a transaction waits for the others' before committing (see at_once)


def at_once(app, *steps: Callable[[], Any], lead: int | None = None) -> list[Any]:
    """Run each step in a thread of its own, all released together; what each returned,
    or the exception it raised.

    Each step's transaction also waits, just before it commits, for the other steps to
    reach theirs (at most HOLD seconds). So when nothing orders the steps, each has done
    all its reading and writing before any commits: the worst interleaving, every
    round. When something does (the bill's row lock, a unique index), the step that got
    there first commits once its wait runs out, and the other goes on after it.

    With `lead`, the other steps start once that step has made its first change (taken
    the bill's lock, say): the race with that step ahead, which an even start may
    seldom give (a callback asks Duitku before it touches the bill)."""
    end_transaction()  # the test's own transaction must not hold anything the threads need
    start, commit = threading.Barrier(len(steps)), threading.Barrier(len(steps))
    ahead = threading.Event()

    def hold(_session) -> None:
        # Broken: another step waits for this one's locks, or was refused: go on.
        with contextlib.suppress(threading.BrokenBarrierError):
            commit.wait(timeout=HOLD)

    def first_change(state: ORMExecuteState):
        if not (state.is_update or state.is_insert or state.is_delete):
            return None
        result = state.invoke_statement()
        ahead.set()
        return result

    def run(index: int, step: Callable[[], Any]) -> Any:
        with app.app_context():
            event.listen(db.session(), "before_commit", hold, once=True)
            if index == lead:
                event.listen(db.session(), "do_orm_execute", first_change)
            try:
                start.wait(timeout=30)
                if lead not in (None, index):
                    ahead.wait(timeout=30)
                return step()
            except Exception as exc:  # noqa: BLE001 - the outcome the test looks at
                return exc
            finally:
                ahead.set()
                db.session.remove()

    with ThreadPoolExecutor(len(steps)) as threads:
        return list(threads.map(run, range(len(steps)), steps))


def in_processes(target: Callable[..., None], *arguments: tuple) -> list[tuple]:
    """Run `target(*args, start, results)` in a spawned process for each `args` of
    `arguments`: each waits at `start` (a barrier) for the others, then puts its outcome
    on `results` as a tuple, its name first. The outcomes without their names, sorted;
    every process must end cleanly."""
    start, results = SPAWN.Barrier(len(arguments)), SPAWN.Queue()
    racers = [SPAWN.Process(target=target, args=(*args, start, results)) for args in arguments]
    for racer in racers:
        racer.start()
    outcomes = sorted(results.get(timeout=120)[1:] for _racer in racers)
    for racer in racers:
        racer.join(timeout=60)
        assert racer.exitcode == 0
    return outcomes
