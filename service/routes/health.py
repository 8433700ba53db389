"""Liveness, readiness (a real forward pass) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from models.classifier import SentenceInput
from service.batcher import Overloaded
from service.deps import ReadyState, State
from service.errors import ERROR_RESPONSES, ApiError

router = APIRouter(tags=["health"])
PROBE = [[SentenceInput("NATO troops patrolled the bridge in Mitrovica on Monday.")]]


@router.get("/livez", summary="The process is up")
async def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz", summary="The model is loaded and a forward pass succeeds now", responses={503: ERROR_RESPONSES[503]}
)
async def readyz(state: ReadyState) -> dict[str, Any]:
    assert state.batcher is not None
    try:
        results, timing = await state.batcher.classify(PROBE)
    except Overloaded:
        # Busy is not broken: the queue is full of real work, so the model is serving.
        return {"status": "ok", "busy": True}
    except Exception as exc:
        raise ApiError(503, "not_ready", f"forward pass failed: {type(exc).__name__}: {exc}") from None
    return {"status": "ok", "inference_ms": round(timing.inference_ms, 1), "sentences": len(results[0])}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(state: State) -> Response:
    state.metrics.queue.set(state.batcher.queued_sentences if state.batcher else 0)
    return Response(state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
