"""Staff screens' streams read through a test client, an event at a time."""

from __future__ import annotations

BOARD_STREAM = "/cashier/stream"
FLOOR_STREAM = "/cashier/tables/stream"  # a stream of `change` events (the board's tells its cards)
RETRY = b"retry: 2000\n\n"
CHANGE = b"event: change\ndata:\n\n"
HEARTBEAT = b"event: heartbeat\ndata:\n\n"


class Stream:
    """A stream opened through a test client, read an event at a time."""

    def __init__(self, client, url: str):
        self.response = client.get(url, buffered=False)
        self._events = iter(self.response.response)

    @property
    def status(self) -> int:
        return self.response.status_code

    def next_event(self) -> bytes:
        """The next event's text without its id line (each change has a new id)."""
        event = next(self._events)
        return b"\n".join(line for line in event.split(b"\n") if not line.startswith(b"id: "))

    def next_news(self) -> bytes:
        """The next event that is not a heartbeat."""
        while (event := self.next_event()) == HEARTBEAT:
            pass
        return event

    def quiet(self) -> None:
        """Read on until a heartbeat: whatever was on its way has come (on PostgreSQL the
        echo of a commit made before the stream opened may come after)."""
        while self.next_event() != HEARTBEAT:
            pass

    def ended(self) -> bool:
        return next(self._events, None) is None

    def close(self) -> None:
        self.response.close()


def opened(app, cashier_client, url: str) -> Stream:
    """A stream, its first line read, quiet; heartbeats every 50 ms."""
    app.config["LIVE_HEARTBEAT_SECONDS"] = 0.05  # read when the stream opens
    stream = Stream(cashier_client, url)
    assert stream.next_event() == RETRY
    stream.quiet()
    return stream
