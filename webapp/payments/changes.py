"""In-process notice of payment changes, so long-poll waits wake at once when the change
happens in the same process; waits in other processes see it on their next re-read."""
import threading

_changed = threading.Condition()


def announce() -> None:
    with _changed:
        _changed.notify_all()


def wait(seconds: float) -> None:
    """Block until a change is announced or `seconds` pass."""
    with _changed:
        _changed.wait(timeout=seconds)
