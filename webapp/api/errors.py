"""JSON errors for the partner API: {"error": {"code", "message", "field"}}."""

from __future__ import annotations

from ..errors import json_error


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}

    def response(self):
        return json_error(self.status, self.code, self.message, self.field, self.headers)


def invalid(field: str | None, message: str) -> ApiError:
    return ApiError(422, "validation_error", message, field)


def not_found(message: str, field: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message, field)
