"""Prometheus metrics: requests by route and status, latency, queue depth, batch sizes, sentences."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)


class Metrics:
    """One registry per app, so tests and several apps in one process do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sayso_requests_total", "HTTP requests", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "sayso_request_seconds", "HTTP request latency", ["route"], buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.queue = Gauge(
            "sayso_queue_sentences", "sentences waiting for or in a forward pass", registry=self.registry
        )
        self.batch_sentences = Histogram(
            "sayso_batch_sentences", "sentences per forward pass", buckets=BATCH_BUCKETS, registry=self.registry
        )
        self.batch_seconds = Histogram(
            "sayso_batch_seconds",
            "time of one forward pass and decoding",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.sentences = Counter("sayso_sentences_total", "sentences classified", registry=self.registry)

    def observe_batch(self, sentences: int, seconds: float) -> None:
        self.batch_sentences.observe(sentences)
        self.batch_seconds.observe(seconds)
        self.sentences.inc(sentences)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def middleware_class(self) -> type:
        metrics = self

        class RequestMetrics:
            def __init__(self, app: ASGIApp) -> None:
                self.app = app

            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                if scope["type"] != "http":
                    await self.app(scope, receive, send)
                    return
                started = time.perf_counter()
                status = 500

                async def record_status(message: Message) -> None:
                    nonlocal status
                    if message["type"] == "http.response.start":
                        status = message["status"]
                    await send(message)

                try:
                    await self.app(scope, receive, record_status)
                finally:
                    route = scope.get("route")
                    path = getattr(route, "path", None) or "unmatched"
                    metrics.requests.labels(path, scope["method"], str(status)).inc()
                    metrics.latency.labels(path).observe(time.perf_counter() - started)

        return RequestMetrics
