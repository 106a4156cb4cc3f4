"""OpenAPI 3.1 description of the partner API, served at /api/v1/openapi.json.

A test checks real responses of every endpoint against these schemas, so this stays
true as the API changes.
"""

from .schema import MAX_AMOUNT, METADATA_MAX_BYTES, MIN_AMOUNT

NULLABLE_STRING = {"type": ["string", "null"]}
TIMESTAMP = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601, UTC (Z)"}
STATUS = {"type": "string", "enum": ["pending", "paid", "expired", "cancelled"]}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


TRANSACTION_ID = {"name": "transaction_id", "in": "path", "required": True, "schema": {"type": "string"}}
COMMON_ERRORS = {"401": _error("Missing or invalid API key"), "404": _error("No such transaction (or not yours)")}
# Refused before anything else, the API key included (webapp/request_guards.py).
NUL_IN_QUERY = "a query parameter (any, taken or not) holding a NUL character"

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Warung partner payment API",
        "version": "1.0.0",
        "description": "QRIS payments (through Duitku) for partner POS systems. Amounts are integer rupiah. "
        "Query parameters an operation does not take are ignored, but no query value may hold a NUL "
        "character: every operation answers that with 422, `field` naming the parameter.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/payments/qris": {
            "post": {
                "operationId": "generateQris",
                "summary": "Create a QRIS payment for a store license, or for a web order",
                "description": "A web order (`order_id`) is open only to this restaurant's counter POS: a partner "
                "holding an active license marked counter POS. An unpaid cash order is switched "
                "to QRIS (once; recorded in the order's history).",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 255},
                        "description": "Same key and body within 24 h replays the first answer.",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/PartnerPaymentRequest"},
                                    {"$ref": "#/components/schemas/OrderPaymentRequest"},
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json("Created: show the QR to the payer", "PaymentCreated"),
                    "400": _error("Malformed JSON"),
                    "401": _error("Missing or invalid API key"),
                    "403": _error("`order_id` given by a partner without a counter POS license"),
                    "404": _error("Unknown license key or order"),
                    "409": _error("Idempotency-Key reused with another body, or order not awaiting payment"),
                    "422": _error(f"Validation error, or {NUL_IN_QUERY}; `field` names the field"),
                    "503": _error("Duitku unavailable; see Retry-After"),
                },
            }
        },
        "/payments/{transaction_id}": {
            "get": {
                "operationId": "checkPaymentStatus",
                "parameters": [TRANSACTION_ID],
                "responses": {
                    "200": _json("The payment", "Payment"),
                    "422": _error(f"{NUL_IN_QUERY.capitalize()}; `field` names it"),
                    **COMMON_ERRORS,
                },
            }
        },
        "/payments/{transaction_id}/wait": {
            "get": {
                "operationId": "waitForPayment",
                "summary": "Long-poll until the payment is final or the timeout passes",
                "parameters": [
                    TRANSACTION_ID,
                    {
                        "name": "timeout",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 120, "default": 60},
                    },
                ],
                "responses": {
                    "200": _json("Final, or the current state at the timeout", "WaitResult"),
                    "422": _error(f"Bad timeout, or {NUL_IN_QUERY}; `field` names it"),
                    "503": _error("Too many waits; see Retry-After"),
                    **COMMON_ERRORS,
                },
            }
        },
        "/payments/{transaction_id}/cancel": {
            "post": {
                "operationId": "cancelPayment",
                "parameters": [TRANSACTION_ID],
                "summary": "Cancel a pending payment this partner created",
                "responses": {
                    "200": _json("Cancelled (repeating it is harmless)", "Payment"),
                    "403": _error("A web order's payment, and the partner no longer holds a counter POS license"),
                    "409": _error("Already paid or expired"),
                    "422": _error(f"{NUL_IN_QUERY.capitalize()}; `field` names it"),
                    **COMMON_ERRORS,
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message", "field"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "field": NULLABLE_STRING,
                        },
                    }
                },
            },
            "PartnerPaymentRequest": {
                "type": "object",
                "required": ["license_key", "amount"],
                "properties": {
                    "license_key": {"type": "string", "maxLength": 64},
                    "amount": {"type": "integer", "minimum": MIN_AMOUNT, "maximum": MAX_AMOUNT},
                    "reference_id": {"type": "string", "maxLength": 64},
                    "description": {"type": "string", "maxLength": 255},
                    "metadata": {"type": "object", "description": f"at most {METADATA_MAX_BYTES} bytes as JSON"},
                },
            },
            "OrderPaymentRequest": {
                "type": "object",
                "required": ["order_id"],
                "properties": {
                    "order_id": {"type": "string", "description": "the web order's public id (counter POS only)"},
                    "customer_details": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "email": {"type": "string"},
                            "phone": {"type": "string"},
                        },
                    },
                },
            },
            "PaymentCreated": {
                "type": "object",
                "required": [
                    "transaction_id",
                    "transaction_token",
                    "qris_string",
                    "qris_image_url",
                    "qris_url",
                    "amount",
                    "expires_at",
                    "status",
                    "reference_id",
                    "order_uid",
                ],
                "properties": {
                    "transaction_id": {"type": "string"},
                    "transaction_token": {"type": "string", "description": "Duitku's reference"},
                    "qris_string": {"type": "string"},
                    "qris_image_url": {"type": "string", "format": "uri"},
                    "qris_url": {"type": "string", "format": "uri"},
                    "amount": {"type": "integer"},
                    "expires_at": TIMESTAMP,
                    "status": {"const": "pending"},
                    "reference_id": NULLABLE_STRING,
                    "order_uid": NULLABLE_STRING,
                },
            },
            "Payment": {
                "type": "object",
                "required": [
                    "transaction_id",
                    "status",
                    "amount",
                    "reference_id",
                    "description",
                    "metadata",
                    "expires_at",
                    "paid_at",
                    "payer_info",
                ],
                "properties": {
                    "transaction_id": {"type": "string"},
                    "status": STATUS,
                    "amount": {"type": "integer"},
                    "reference_id": NULLABLE_STRING,
                    "description": {"type": "string"},
                    "metadata": {"type": ["object", "null"]},
                    "expires_at": TIMESTAMP,
                    "paid_at": TIMESTAMP,
                    "payer_info": {
                        "type": "object",
                        "required": ["bank", "account_name"],
                        "properties": {"bank": NULLABLE_STRING, "account_name": NULLABLE_STRING},
                    },
                },
            },
            "WaitResult": {
                "allOf": [
                    {"$ref": "#/components/schemas/Payment"},
                    {"type": "object", "required": ["timeout"], "properties": {"timeout": {"type": "boolean"}}},
                ],
            },
            "WebhookEvent": {
                "type": "object",
                "required": ["id", "event", "created_at", "data"],
                "description": "POSTed to the partner's webhook URL, signed in the Warung-Signature header",
                "properties": {
                    "id": {"type": "string", "description": "drop duplicates by this id"},
                    "event": {"type": "string", "enum": ["payment.paid", "payment.expired", "payment.cancelled"]},
                    "created_at": TIMESTAMP,
                    "data": {"$ref": "#/components/schemas/Payment"},
                },
            },
        },
    },
}
