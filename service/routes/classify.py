"""POST /v1/classify and /v1/classify/batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from models.classifier import SentenceInput, UnknownTargetError, clean_text
from models.schema import SentenceResult
from models.segment import split_sentences
from models.summary import speaker_summary
from service.batcher import Overloaded, Timing
from service.deps import ReadyState, require_api_key
from service.errors import ERROR_RESPONSES, ApiError
from service.schemas import BatchRequest, BatchResponse, ClassifyRequest, ClassifyResponse

router = APIRouter(prefix="/v1", tags=["classify"], dependencies=[Depends(require_api_key)])


def _targets(state: ReadyState, targets: list[str] | None) -> list[str]:
    assert state.classifier is not None
    try:
        return state.classifier.check_targets(targets)
    except UnknownTargetError as exc:
        raise ApiError(422, "unknown_target", str(exc), "targets") from None


def _split(texts: Sequence[str]) -> list[list[SentenceInput]]:
    return [[SentenceInput(s.text, s.start, s.end) for s in split_sentences(clean_text(t))] for t in texts]


async def _classify(
    state: ReadyState, documents: list[list[SentenceInput]]
) -> tuple[list[list[SentenceResult]], Timing]:
    assert state.batcher is not None
    total = sum(len(d) for d in documents)
    if total > state.settings.max_sentences:
        raise ApiError(413, "too_large", f"{total} sentences; the limit is {state.settings.max_sentences}")
    try:
        return await asyncio.wait_for(state.batcher.classify(documents), state.settings.request_timeout_s)
    except Overloaded as exc:
        raise ApiError(429, "overloaded", str(exc), headers={"Retry-After": "1"}) from None
    except TimeoutError:
        raise ApiError(504, "timeout", f"not classified within {state.settings.request_timeout_s:g} s") from None


def _document(
    doc_id: str | None, results: list[SentenceResult], targets: list[str], state: ReadyState
) -> dict[str, Any]:
    assert state.classifier is not None
    config = state.classifier.config
    for result in results:
        result.stance = {t: result.stance[t] for t in targets}
    return {
        "id": doc_id,
        "model": {"name": config.name, "version": config.version},
        "sentences": [r.as_dict() for r in results],
        "speakers": speaker_summary(results),
    }


def _headers(timing: Timing, sentences: int) -> dict[str, str]:
    return {
        "x-queue-time-ms": f"{timing.queue_ms:.1f}",
        "x-inference-time-ms": f"{timing.inference_ms:.1f}",
        "x-batch-sentences": str(timing.batch_sentences),
        "x-sentences": str(sentences),
    }


@router.post(
    "/classify",
    response_model=ClassifyResponse,
    responses=ERROR_RESPONSES,
    summary="Classify the sentences of one article",
)
async def classify(body: ClassifyRequest, state: ReadyState) -> JSONResponse:
    targets = _targets(state, body.targets)
    if body.text is not None:
        documents = await run_in_threadpool(_split, [body.text])
    else:
        documents = [[SentenceInput(s) for s in body.sentences or []]]
    results, timing = await _classify(state, documents)
    payload = _document(body.id, results[0], targets, state)
    return JSONResponse(payload, headers=_headers(timing, len(results[0])))


@router.post(
    "/classify/batch",
    response_model=BatchResponse,
    responses=ERROR_RESPONSES,
    summary="Classify several articles; one result per document, in order",
)
async def classify_batch(body: BatchRequest, state: ReadyState) -> JSONResponse:
    if len(body.documents) > state.settings.max_documents:
        raise ApiError(
            413,
            "too_large",
            f"{len(body.documents)} documents; the limit is {state.settings.max_documents}",
            "documents",
        )
    targets = _targets(state, body.targets)
    documents = await run_in_threadpool(_split, [d.text for d in body.documents])
    results, timing = await _classify(state, documents)
    assert state.classifier is not None
    config = state.classifier.config
    payload = {
        "model": {"name": config.name, "version": config.version},
        "results": [_document(d.id, r, targets, state) for d, r in zip(body.documents, results, strict=True)],
    }
    return JSONResponse(payload, headers=_headers(timing, sum(len(r) for r in results)))
