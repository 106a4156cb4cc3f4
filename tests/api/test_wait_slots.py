"""Long-poll waits are capped per process and per partner: one partner's waits never
take every slot."""

import threading

import requests

from tests.db_helpers import end_transaction
from tests.http_helpers import API, post_qris, wait_until_watched
from webapp.api import waiting


def test_one_partner_cannot_take_every_wait_slot(app, client, pos, other_pos, live_app):
    app.config.update(WAIT_MAX_CONCURRENT=3, WAIT_MAX_PER_PARTNER=1)
    waiting.init_app(app)  # a watcher with these caps
    held, second, others = (post_qris(client, account).json["transaction_id"] for account in (pos, pos, other_pos))
    end_transaction()
    holder = threading.Thread(
        target=requests.get,
        kwargs={"url": f"{live_app}{API}/payments/{held}/wait?timeout=30", "headers": pos.headers, "timeout": 40},
    )
    holder.start()
    try:
        wait_until_watched(app)
        refused = client.get(f"{API}/payments/{second}/wait?timeout=1", headers=pos.headers)
        end_transaction()
        served = client.get(f"{API}/payments/{others}/wait?timeout=1", headers=other_pos.headers)
        end_transaction()
    finally:
        client.post(f"{API}/payments/{held}/cancel", headers=pos.headers)  # ends the held wait
        end_transaction()
        holder.join()
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert refused.json["error"]["code"] == "too_many_waits"
    assert served.status_code == 200 and served.json["timeout"] is True
