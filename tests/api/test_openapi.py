"""The OpenAPI document is served and real responses match it."""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from tests import factories as make
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import API, post_qris
from webapp.api.openapi import OPENAPI
from webapp.extensions import db
from webapp.models import Payment


@pytest.fixture
def spec(client):
    response = client.get(f"{API}/openapi.json")  # no API key needed
    assert response.status_code == 200
    return response.json


def validator_for(spec: dict, ref: str) -> Draft202012Validator:
    """A validator for `ref` (e.g. "#/components/schemas/Payment"), resolving every
    $ref against the whole OpenAPI document."""
    registry = Registry().with_resource("urn:warung", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": "urn:warung" + ref}, registry=registry)


def check(spec: dict, path: str, method: str, response) -> None:
    """Validate a real response against the schema the document gives for its status."""
    documented = spec["paths"][path][method]["responses"][str(response.status_code)]
    ref = documented["content"]["application/json"]["schema"]["$ref"]
    errors = sorted(validator_for(spec, ref).iter_errors(response.json), key=str)
    assert not errors, f"{method.upper()} {path} {response.status_code}: {errors[0].message}"


def test_document_is_openapi_3_1_and_valid_json_schema(spec):
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert set(spec["paths"]) == {
        "/payments/qris",
        "/payments/{transaction_id}",
        "/payments/{transaction_id}/wait",
        "/payments/{transaction_id}/cancel",
    }


def test_real_responses_match_the_document(client, spec, pos, other_pos, menu, sandbox, clock):
    h = pos.headers
    qris = "/payments/qris"
    created = client.post(
        f"{API}{qris}", json={"license_key": pos.license_key, "amount": 50000, "metadata": {"k": 1}}, headers=h
    )
    check(spec, qris, "post", created)
    order = make.order(menu, method="qris")
    check(spec, qris, "post", client.post(f"{API}{qris}", json={"order_id": order.public_id}, headers=h))
    check(
        spec, qris, "post", client.post(f"{API}{qris}", json={"order_id": order.public_id}, headers=other_pos.headers)
    )  # 403: not the counter POS
    check(spec, qris, "post", client.post(f"{API}{qris}", data="{", headers={**h, "Content-Type": "application/json"}))
    check(spec, qris, "post", client.post(f"{API}{qris}", json={"amount": 5}, headers=h))
    check(spec, qris, "post", client.post(f"{API}{qris}", json={"license_key": "x", "amount": 50000}, headers=h))
    check(spec, qris, "post", client.post(f"{API}{qris}", json={}, headers={"Authorization": "Bearer nope"}))

    tid = created.json["transaction_id"]
    one = "/payments/{transaction_id}"
    check(spec, one, "get", client.get(f"{API}/payments/{tid}", headers=h))
    check(spec, one, "get", client.get(f"{API}/payments/{tid}", headers=other_pos.headers))
    wait = "/payments/{transaction_id}/wait"
    check(spec, wait, "get", client.get(f"{API}/payments/{tid}/wait?timeout=abc", headers=h))

    payment = db.session.scalar(select(Payment).where(Payment.public_id == tid))
    settle_quietly(sandbox, payment, clock())
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    check(spec, one, "get", client.get(f"{API}/payments/{tid}", headers=h))
    check(spec, wait, "get", client.get(f"{API}/payments/{tid}/wait?timeout=1", headers=h))
    cancel = "/payments/{transaction_id}/cancel"
    check(spec, cancel, "post", client.post(f"{API}/payments/{tid}/cancel", headers=h))  # 409: paid
    other = client.post(f"{API}{qris}", json={"license_key": pos.license_key, "amount": 20000}, headers=h).json
    check(spec, cancel, "post", client.post(f"{API}/payments/{other['transaction_id']}/cancel", headers=h))


def test_webhook_event_matches_the_document(client, spec, pos, endpoint, sandbox, clock):
    created = post_qris(client, pos).json
    payment = db.session.scalar(select(Payment).where(Payment.public_id == created["transaction_id"]))
    settle_quietly(sandbox, payment, clock())
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    validator = validator_for(spec, "#/components/schemas/WebhookEvent")
    event = json.loads(endpoint.received[0]["body"])
    assert not list(validator.iter_errors(event))


OPERATIONS = [(path, method) for path, item in OPENAPI["paths"].items() for method in item]
# What goes into every parameter: NUL characters, numbers (some a valid timeout), any text.
PARAMETER_VALUES = (
    st.sampled_from(["\x00", "a\x00b", "1\x00", "\x00" * 3]) | st.integers(-5, 200).map(str) | st.text(max_size=12)
)
# A path parameter is one segment: not empty, no "/" (WSGI decodes %2F before routing,
# so it would make another URL), not "." or "..".
PATH_VALUES = PARAMETER_VALUES.filter(lambda value: value not in ("", ".", "..") and "/" not in value)


@pytest.fixture
def cancelled(client, other_pos, sandbox) -> str:
    """A payment of `other_pos`, cancelled: a wait for it ends at once."""
    created = post_qris(client, other_pos).json["transaction_id"]
    assert client.post(f"{API}/payments/{created}/cancel", headers=other_pos.headers).status_code == 200
    return created


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_parameters_get_an_answer_the_document_lists(client, other_pos, cancelled, data):
    """Schema-driven: an operation of the document, each of its path and query
    parameters (and one it does not take, `x`) given any values, NUL characters among
    them, with or without the API key. The answer's status must be one the document
    lists for the operation, its body what it says."""
    path, method = data.draw(st.sampled_from(OPERATIONS), label="operation")
    parameters = OPENAPI["paths"][path][method].get("parameters", [])
    url = path
    for parameter in (p for p in parameters if p["in"] == "path"):
        value = data.draw(st.sampled_from([cancelled, "nope"]) | PATH_VALUES, label=parameter["name"])
        url = url.replace("{" + parameter["name"] + "}", quote(value, safe=""))
    query = [
        (name, value)
        for name in [p["name"] for p in parameters if p["in"] == "query"] + ["x"]
        for value in data.draw(st.lists(PARAMETER_VALUES, max_size=2), label=name)
    ]
    headers = other_pos.headers if data.draw(st.booleans(), label="with the API key") else {}
    body = {} if method == "post" else None
    response = client.open(f"{API}{url}", method=method.upper(), query_string=query, headers=headers, json=body)
    assert str(response.status_code) in OPENAPI["paths"][path][method]["responses"], response.json
    check(OPENAPI, path, method, response)
