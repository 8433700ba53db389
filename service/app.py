"""The FastAPI application: state, lifespan, middleware and routers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.classifier import Classifier, SentenceInput, read_model_config
from service import errors
from service.batcher import MicroBatcher
from service.metrics import Metrics
from service.settings import Settings

log = logging.getLogger("sayso.service")
PROBE = [[SentenceInput('"We will not back down," Kosovo Prime Minister Albin Kurti said on Tuesday.')]]


@dataclass
class ServiceState:
    settings: Settings
    metrics: Metrics
    classifier: Classifier | None = None
    batcher: MicroBatcher | None = None
    load_error: str | None = None
    loaded_at: float | None = None
    model_card: dict[str, Any] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return self.batcher is not None


def load_classifier(settings: Settings) -> Classifier:
    return Classifier.load(
        settings.model_dir,
        threads=settings.threads,
        runtime=settings.runtime,
        int8_fallback_margin=settings.int8_fallback_margin,
        max_tokens_per_batch=settings.max_batch_tokens,
    )


class BodyLimit:
    """Reject bodies over the limit with 413, counting streamed (chunked) bodies too, before the
    route parses anything."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = errors.error_response(413, "too_large", f"the request body is over {self.limit} bytes")
        await response(scope, receive, send)


def create_app(
    settings: Settings | None = None, classifier_factory: Callable[[Settings], Classifier] = load_classifier
) -> FastAPI:
    settings = settings or Settings()
    # Fail fast on a missing or broken model folder, before the port is opened.
    config = read_model_config(settings.model_dir)
    metrics = Metrics()
    state = ServiceState(settings, metrics)

    async def load() -> None:
        try:
            classifier = await asyncio.to_thread(classifier_factory, settings)
            await asyncio.to_thread(classifier.classify_documents, PROBE)
        except Exception as exc:
            state.load_error = f"{type(exc).__name__}: {exc}"
            log.error("model failed to load: %s", state.load_error)
            return
        batcher = MicroBatcher(
            classifier,
            settings.max_wait_ms,
            settings.max_batch_sentences,
            settings.max_queue_sentences,
            on_batch=metrics.observe_batch,
        )
        batcher.start()
        state.classifier, state.batcher, state.loaded_at = classifier, batcher, time.time()
        log.info("model %s %s ready (%s)", config.name, config.version, settings.runtime)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loader = asyncio.create_task(load())
        try:
            yield
        finally:
            loader.cancel()
            if state.batcher:
                await state.batcher.stop()

    app = FastAPI(
        title="sayso",
        version="0.1.0",
        summary="Claim type, quote attribution and stance toward Kosovo, Serbia and NATO for news sentences.",
        lifespan=lifespan,
    )
    app.state.sayso = state
    state.model_card = model_card(settings, config)
    errors.install(app)

    from service.routes import classify, health, model, page

    app.include_router(classify.router)
    app.include_router(model.router)
    app.include_router(health.router)
    app.include_router(page.router)
    install_openapi(app, config.target_names, settings)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(metrics.middleware_class())  # outermost: counts 413s too
    return app


def install_openapi(app: FastAPI, targets: list[str], settings: Settings) -> None:
    """The schema states this deployment's limits and this model's targets, so clients (and
    schemathesis) know what is valid before they send it."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            components = schema["components"]["schemas"]
            for name in ("ClassifyRequest", "BatchRequest"):
                components[name]["properties"]["targets"]["items"]["enum"] = list(targets)
            components["ClassifyRequest"]["properties"]["sentences"]["maxItems"] = settings.max_sentences
            components["BatchRequest"]["properties"]["documents"]["maxItems"] = settings.max_documents
            for name, field in (("ClassifyRequest", "text"), ("Document", "text")):
                components[name]["properties"][field]["maxLength"] = settings.max_body_bytes // 12  # \uXXXX pairs
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def model_card(settings: Settings, config: Any) -> dict[str, Any]:
    import json

    evaluation: dict[str, Any] = {}
    metrics_file = settings.model_dir / "eval" / "metrics.json"
    if metrics_file.is_file():
        try:
            from_file = json.loads(metrics_file.read_text(encoding="utf-8"))
            evaluation = {
                "data": from_file.get("data"),
                "sentences": from_file.get("sentences"),
                "metrics": from_file.get("headline", {}),
                "baseline": from_file.get("baseline_headline", {}),
            }
        except (OSError, ValueError):
            evaluation = {}
    return {
        "name": config.name,
        "version": config.version,
        "created": config.created,
        "base_model": config.base_model,
        "runtime": settings.runtime,
        "targets": [{"name": t.name, "aliases": t.aliases} for t in config.targets],
        "labels": {"type": config.type_labels, "stance": config.stance_labels, "tags": config.tag_labels},
        "training_data_sha256": config.training_data_sha256,
        "dev_metrics": config.dev_metrics,
        "evaluation": evaluation,
        "max_length": config.max_length,
        "context_tokens": config.context_tokens,
    }
