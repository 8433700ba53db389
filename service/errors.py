"""One JSON error body everywhere: {"error": {"type", "message", "field"}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.schemas import ErrorBody


class ApiError(Exception):
    def __init__(
        self, status: int, type_: str, message: str, field: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.field, self.headers = status, type_, message, field, headers


def error_response(
    status: int, type_: str, message: str, field: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"type": type_, "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or None


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.type, exc.message, exc.field, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        message = str(first.get("msg", "invalid request"))
        if first.get("type") == "json_invalid":
            message = "the body is not valid JSON"
        return error_response(422, "invalid_request", message, _field(tuple(first.get("loc", ()))))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette answers 400 for a body it cannot decode (not UTF-8): it is an invalid request.
        status = 422 if exc.status_code == 400 else exc.status_code
        kind = {404: "not_found", 405: "method_not_allowed", 422: "invalid_request"}.get(status, "http_error")
        return error_response(status, kind, str(exc.detail), None, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "internal", f"internal error: {type(exc).__name__}")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong API key (when SAYSO_API_KEY is set)"},
    413: {"model": ErrorBody, "description": "body, sentences or documents over the limit"},
    422: {
        "model": ErrorBody,
        "description": "invalid JSON or schema, or unknown target",
        "content": {
            "application/json": {
                "example": {
                    "error": {
                        "type": "unknown_target",
                        "message": "unknown target(s) 'EU'; this model knows Kosovo, Serbia, NATO",
                        "field": "targets",
                    }
                }
            }
        },
    },
    429: {"model": ErrorBody, "description": "queue full; retry after the Retry-After header"},
    503: {"model": ErrorBody, "description": "model not loaded yet"},
    504: {"model": ErrorBody, "description": "request over its time budget"},
}
