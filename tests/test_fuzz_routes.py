"""Hostile input to every route in `app.url_map`: whatever arrives, never a 500.

Every rule is taken from the URL map, so a new route is fuzzed without touching this
file. Each route and method is first sent a plausible request (real ids, a valid CSRF
token) that records which query, form and JSON keys the view reads. The route is then
fuzzed by the first visitor that reaches it (an anonymous customer, else an admin who
is also a partner with an API key): each path argument and each key read in turn gets
every hostile value while the rest stays plausible, so the value gets past the other
checks to the code behind them; bodies hostile as a whole (nesting thousands deep,
lone surrogates, NUL, wrong types, bytes that are not UTF-8) go to every route that
takes a body.

Answers must be below 500 (503 is deliberate: not ready, gateway down); a 4xx under
/api/ is the documented {"error": {"code", "message", "field"}} JSON, elsewhere an
HTML page.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import AnyConverter
from werkzeug.utils import cached_property

from tests import factories as make
from tests.http_helpers import csrf_token_from
from webapp.bills import bill_splits
from webapp.orders.cart import Cart
from webapp.payments import qris_payments

HUGE = "99999999999999999999"
# URL-encoded already: used as path segments, query values and form values.
HOSTILE_PATH = [
    HUGE,
    "2147483648",
    "9" * 5000,  # beyond 64 bits, beyond PostgreSQL's `integer`, beyond int()'s digit limit
    "a%00b",
    "%ED%A0%80",  # NUL; a lone surrogate's UTF-8 bytes (not UTF-8)
    "x" * 1000,
]
HOSTILE_TEXT = [*HOSTILE_PATH, f"-{HUGE}", "%C2%B2", "1.5", "", "%2F%0A%2Fevil.example"]  # "²".isdigit() is True
HOSTILE_BODIES = [
    "[" * 5000 + "]" * 5000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"a": "\\ud800", "b": ["\\udfff"]}',
    '{"a\\u0000": 1}',
    "[]",
    '"x"',
    "1e999",
    "NaN",
    "{",
    b"\xff\xfe",
]
HOSTILE_JSON_VALUES = [10**20, 2**31, "\ud800", "a\x00b", "x" * 1000, "²", [], {"a": [1]}, True, None]
CSRF_FIELD = "csrf_token"
FORM = "application/x-www-form-urlencoded"
READ = {"query": set(), "form": set(), "json": set()}  # keys the view asked for, per part of the request


class ReadKeys(ImmutableMultiDict):
    """request.args or request.form, noting in READ which keys the app asked for."""

    def __init__(self, mapping, part: str):
        super().__init__(mapping)
        self.part = part

    def __getitem__(self, key):
        READ[self.part].add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):
        READ[self.part].add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        READ[self.part].add(key)
        return super().__contains__(key)


class ReadJsonKeys(dict):
    def __getitem__(self, key):
        READ["json"].add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ["json"].add(key)
        return super().get(key, default)

    def __contains__(self, key):
        READ["json"].add(key)
        return super().__contains__(key)


def record_reads(app) -> None:
    class RecordingRequest(app.request_class):
        @cached_property
        def args(self):
            return ReadKeys(super().args, "query")

        def _load_form_data(self):
            super()._load_form_data()
            if not isinstance(self.__dict__["form"], ReadKeys):
                self.__dict__["form"] = ReadKeys(self.__dict__["form"], "form")

        def get_json(self, *args, **kwargs):
            body = super().get_json(*args, **kwargs)
            return ReadJsonKeys(body) if type(body) is dict else body

    app.request_class = RecordingRequest


@dataclass
class Plausible:
    """What a real client would send, by name."""

    path: dict
    fields: dict
    json_bodies: list


@dataclass
class Probe:
    reached: bool
    arguments: dict
    query_keys: set
    form_keys: set
    json_reads: list  # (example body, keys read)


def urlencoded(values: dict) -> str:
    """A query string or form body of values that are URL-encoded already."""
    return "&".join(f"{quote(key)}={value}" for key, value in values.items())


def encoded(values: dict) -> dict:
    return {key: quote(str(value), safe="") for key, value in values.items()}


def reached(response) -> bool:
    """False when the visitor was turned away: no key, no right, or sent to log in."""
    if response.status_code in (401, 403):
        return False
    return not (response.status_code in (301, 302, 303) and urlsplit(response.location).path == "/login")


def path_with(rule, arguments: dict) -> str:
    """`rule` with each <converter:name> replaced by its argument."""
    parts = rule.rule.split("<")
    path = parts[0]
    for part in parts[1:]:
        inside, rest = part.split(">", 1)
        path += str(arguments[inside.split(":")[-1]]) + rest
    return path


@dataclass
class Fuzzer:
    name: str
    client: object
    csrf: str
    plausible: Plausible
    headers: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    sent: int = 0

    def send(self, method: str, url: str, what: str, **kwargs):
        self.sent += 1
        response = self.client.open(url, method=method, headers=self.headers, **kwargs)
        problem = self.problem(url, response)
        if problem:
            self.failures.append(f"{self.name} {method} {url[:100]} ({what}): {problem}")
        return response

    @staticmethod
    def problem(url: str, response) -> str | None:
        status = response.status_code
        if status >= 500 and status != 503:
            return f"a {status} (its traceback is in the captured log)"
        if not 400 <= status < 500:
            return None
        if url.startswith("/api/"):
            error = (response.get_json(silent=True) or {}).get("error") if response.is_json else None
            if not isinstance(error, dict) or set(error) != {"code", "message", "field"}:
                return f"{status} without the JSON error shape"
        elif response.mimetype != "text/html":
            return f"{status} as {response.mimetype}, not an HTML page"
        return None

    def path_candidates(self, rule) -> list[dict]:
        """Every combination of plausible path arguments (an `any` converter's own choices)."""
        options = [{}]
        for argument, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                candidates = converter.items
            else:
                candidates = self.plausible.path.get(argument, ["1"])
            options = [{**done, argument: value} for done in options for value in candidates]
        return options

    def probe(self, rule, method: str, body: bool) -> Probe:
        """Plausible requests: the path arguments that find something, and the query,
        form and JSON keys the view read."""
        query = urlencoded(encoded(self.plausible.fields))
        form = urlencoded(encoded({**self.plausible.fields, CSRF_FIELD: self.csrf}))
        for arguments in self.path_candidates(rule):
            for keys in READ.values():
                keys.clear()
            response = self.send(
                method,
                f"{path_with(rule, arguments)}?{query}",
                "plausible",
                **({"data": form, "content_type": FORM} if body else {}),
            )
            if response.status_code != 404:
                break
        probe = Probe(reached(response), arguments, set(READ["query"]), READ["form"] - {CSRF_FIELD}, [])
        for example in self.plausible.json_bodies if body and probe.reached else []:
            READ["json"].clear()
            self.send(
                method,
                path_with(rule, arguments),
                "plausible JSON",
                data=json.dumps(example),
                content_type="application/json",
            )
            probe.json_reads.append((example, set(READ["json"])))
        return probe

    def fuzz(self, rule, method: str, body: bool, probe: Probe) -> None:
        fields = self.plausible.fields
        query = encoded({key: fields.get(key, "1") for key in probe.query_keys})
        form = {**encoded({key: fields.get(key, "1") for key in probe.form_keys}), CSRF_FIELD: quote(self.csrf)}

        def send(what, arguments=probe.arguments, query=query, form=form, extra=""):
            url = f"{path_with(rule, arguments)}?{urlencoded(query)}"
            self.send(method, url, what, **({"data": urlencoded(form) + extra, "content_type": FORM} if body else {}))

        for argument in probe.arguments:
            for value in HOSTILE_PATH:
                send(f"path {argument}", arguments={**probe.arguments, argument: value})
        for key in sorted(probe.query_keys):
            for value in HOSTILE_TEXT:
                send(f"query {key}", query={**query, key: value})
        for key in sorted(probe.form_keys):
            for value in HOSTILE_TEXT:
                send(f"form {key}", form={**form, key: value})
            send(f"form {key} twice", extra=f"&{quote(key)}={HUGE}")
        if body:
            self.fuzz_json(path_with(rule, probe.arguments), method, probe.json_reads)

    def fuzz_json(self, url: str, method: str, json_reads: list) -> None:
        """Bodies hostile as a whole go to every route (any JSON body is parsed before
        the view); a view that reads JSON also gets them undeclared (text/plain), and
        each key it read made hostile in turn."""
        reads_json = any(keys for _example, keys in json_reads)
        for raw in HOSTILE_BODIES:
            for content_type in ("application/json", "text/plain") if reads_json else ("application/json",):
                self.send(method, url, f"{content_type} {raw[:20]!r}", data=raw, content_type=content_type)
        for example, keys in json_reads:
            for key in sorted(keys):
                for value in HOSTILE_JSON_VALUES:
                    self.send(
                        method,
                        url,
                        f"JSON {key}={str(value)[:20]!r}",
                        data=json.dumps({**example, key: value}),
                        content_type="application/json",
                    )


def destructive_last(rule) -> tuple:
    """Routes that delete, cancel or log out run after those that need what they remove."""
    endpoint = rule.endpoint
    return ("logout" in endpoint, any(word in endpoint for word in ("delete", "remove", "cancel")), rule.rule)


def cart_line(client, menu) -> str:
    with client.session_transaction() as session:
        cart = Cart(session)
        cart.add(menu["Mie Ayam"].id, 1, "")
        return cart.lines[0].line_id


def test_no_route_answers_hostile_input_with_a_500(app, client, menu, staff_client, sandbox):
    pos = make.partner("Fuzz POS", store="Toko Fuzz")
    partner_payment = qris_payments.create_partner_payment(pos.partner, pos.license, 50000)
    qris_payments.cancel_payment(partner_payment, "test")  # final, so a plausible wait answers at once
    qr_payment, order = make.qris_payment(menu), make.order(menu)
    bill = make.three_friends_bill(menu)  # a table's bill being paid, in two shares
    bill_splits.split_evenly(bill, 2, "customer")
    make.bill_settings()  # pay first again, for the other routes
    item, category = menu["Nasi Goreng"], menu["Nasi Goreng"].category
    record_reads(app)

    def plausible(client) -> Plausible:
        return Plausible(
            path={
                "public_id": [order.public_id, qr_payment.public_id, bill.public_id],
                "position": [1],
                "transaction_id": [partner_payment.public_id],
                "item_id": [item.id],
                "row_id": [item.id],
                "category_id": [category.id],
                "line_id": [cart_line(client, menu)],
                "code": ["en"],
            },
            fields={
                "item_id": item.id,
                "quantity": 1,
                "note": "tidak pedas",
                "back": "menu",
                "customer_name": "Sari",
                "order_type": "takeaway",
                "payment_method": "cash",
                "checkout_token": "fuzz-1",
                "name": "Sate Ayam",
                "description": "10 tusuk",
                "price": 30000,
                "category_id": category.id,
                "category": category.id,
                "available": "1",
                "tendered": 50000,
                "reason": "habis",
                "to": "preparing",
                "direction": "up",
                "username": "nobody",
                "password": "not-the-password",
                "next": "/cart",
                "seen": "v1",
                "timeout": 1,
                "day": "2026-11-22",
                "table": order.table_id,
                "order": bill.orders[0].public_id,
            },
            json_bodies=[
                {
                    "license_key": pos.license_key,
                    "amount": 50000,
                    "reference_id": "R-1",
                    "description": "Kopi",
                    "metadata": {"cashier": "C1"},
                },
                {"order_id": order.public_id, "customer_details": {"name": "Sari"}},
            ],
        )

    admin = staff_client("admin")
    fuzzers = [
        Fuzzer("anonymous", client, csrf_token_from(client.get("/").get_data(as_text=True)), plausible(client)),
        Fuzzer("admin and partner", admin, admin.csrf_token, plausible(admin), pos.headers),
    ]
    routes = 0
    for rule in sorted(app.url_map.iter_rules(), key=destructive_last):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            body = method not in ("GET", "DELETE")
            for fuzzer in fuzzers:
                probe = fuzzer.probe(rule, method, body)
                if probe.reached or fuzzer is fuzzers[-1]:
                    fuzzer.fuzz(rule, method, body, probe)
                    routes += 1
                    break
    failures = [failure for fuzzer in fuzzers for failure in fuzzer.failures]
    print(f"{routes} routes, {sum(fuzzer.sent for fuzzer in fuzzers)} requests")  # noqa: T201 - shown with -s
    assert routes > 40 and not failures, "\n".join(failures[:40])
