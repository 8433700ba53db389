"""Annotated dependencies shared by the routes."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from service.app import ServiceState
from service.errors import ApiError


def get_state(request: Request) -> ServiceState:
    return request.app.state.sayso


State = Annotated[ServiceState, Depends(get_state)]


def require_api_key(state: State, authorization: Annotated[str | None, Header()] = None) -> None:
    """When SAYSO_API_KEY is set, /v1 routes need `Authorization: Bearer <key>` (constant-time compare)."""
    expected = state.settings.api_key
    if expected is None:
        return
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.get_secret_value().encode()):
        raise ApiError(
            401, "unauthorized", "missing or wrong API key", "authorization", headers={"WWW-Authenticate": "Bearer"}
        )


def ready_state(state: State) -> ServiceState:
    if not state.ready:
        message = f"the model failed to load: {state.load_error}" if state.load_error else "the model is loading"
        raise ApiError(503, "not_ready", message, headers={"Retry-After": "5"})
    return state


ReadyState = Annotated[ServiceState, Depends(ready_state)]
