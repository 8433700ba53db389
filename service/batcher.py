"""Micro-batching: sentences of concurrent requests share forward passes.

Requests queue their documents; one worker takes the first waiting job, waits up to
`max_wait_ms` for more (until `max_batch_sentences`), and runs them through the classifier in an
executor, off the event loop. Two such passes may be in flight: while one tokenises or decodes
(Python, one core), the other's batches keep the forward workers busy. The classifier sorts and
pads by length itself (models.runtime.plan_batches), so this module only decides *which*
requests ride together.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from models.classifier import Classifier, SentenceInput
from models.schema import SentenceResult

log = logging.getLogger("sayso.batcher")
IN_FLIGHT = 2  # passes at once: one in Python (encode, decode), one in the forward workers


class Overloaded(RuntimeError):
    """The queue holds more sentences than allowed; the client should retry later."""


@dataclass
class Timing:
    queue_ms: float
    inference_ms: float
    batch_sentences: int


@dataclass
class _Job:
    documents: Sequence[Sequence[SentenceInput]]
    sentences: int
    future: asyncio.Future[tuple[list[list[SentenceResult]], Timing]]
    queued_at: float = field(default_factory=time.perf_counter)


class MicroBatcher:
    def __init__(
        self,
        classifier: Classifier,
        max_wait_ms: float,
        max_batch_sentences: int,
        max_queue_sentences: int,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self.classifier = classifier
        self.max_wait = max_wait_ms / 1000
        self.max_batch_sentences = max_batch_sentences
        self.max_queue_sentences = max_queue_sentences
        self.on_batch = on_batch
        self.queued_sentences = 0
        self._pending: deque[_Job] = deque()
        self._arrived = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=IN_FLIGHT, thread_name_prefix="sayso-inference")
        self._worker: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._passes: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        self._worker = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._worker:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._passes:
            await asyncio.gather(*self._passes, return_exceptions=True)
        self._executor.shutdown(wait=True)

    async def classify(self, documents: Sequence[Sequence[SentenceInput]]) -> tuple[list[list[SentenceResult]], Timing]:
        sentences = sum(len(d) for d in documents)
        if sentences == 0:
            return [[] for _ in documents], Timing(0.0, 0.0, 0)
        if self.queued_sentences + sentences > self.max_queue_sentences:
            raise Overloaded(f"{self.queued_sentences} sentences are queued; the limit is {self.max_queue_sentences}")
        job = _Job(documents, sentences, asyncio.get_running_loop().create_future())
        self.queued_sentences += sentences
        self._pending.append(job)
        self._arrived.set()
        return await job.future

    async def _run(self) -> None:
        # A deque and an event rather than asyncio.Queue: cancelling `wait_for(queue.get())` on a
        # timeout can drop an item that was already taken (Python 3.11), and a dropped job hangs.
        loop = asyncio.get_running_loop()
        while True:
            await self._slots.acquire()  # the next pass is gathered once a slot is free
            while not self._pending:
                self._arrived.clear()
                await self._arrived.wait()
            jobs = [self._pending.popleft()]
            total = jobs[0].sentences
            deadline = loop.time() + self.max_wait
            while total < self.max_batch_sentences:
                if self._pending:
                    jobs.append(self._pending.popleft())
                    total += jobs[-1].sentences
                    continue
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), remaining)
                except TimeoutError:
                    break
            task = loop.create_task(self._pass(loop, jobs))
            self._passes.add(task)
            task.add_done_callback(self._passes.discard)

    async def _pass(self, loop: asyncio.AbstractEventLoop, jobs: list[_Job]) -> None:
        try:
            await self._process(loop, jobs)
        except Exception as exc:
            log.exception("batch failed")
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(exc)
        finally:
            self._slots.release()

    async def _process(self, loop: asyncio.AbstractEventLoop, jobs: list[_Job]) -> None:
        live = [j for j in jobs if not j.future.done()]  # a request past its time budget is dropped
        for job in jobs:
            if job not in live:
                self.queued_sentences -= job.sentences
        if not live:
            return
        documents = [d for job in live for d in job.documents]
        started = time.perf_counter()
        try:
            results = await loop.run_in_executor(self._executor, self.classifier.classify_documents, documents)
        except Exception as exc:
            for job in live:
                self.queued_sentences -= job.sentences
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        total = sum(j.sentences for j in live)
        if self.on_batch:
            self.on_batch(total, elapsed_ms / 1000)
        position = 0
        for job in live:
            self.queued_sentences -= job.sentences
            mine = results[position : position + len(job.documents)]
            position += len(job.documents)
            if not job.future.done():
                job.future.set_result((mine, Timing((started - job.queued_at) * 1000, elapsed_ms, total)))
