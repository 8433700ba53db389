"""Serving benchmark, side by side in one run (issue 4). Prints a table; asserts nothing.

1. the bare model's batched forward pass (the ceiling), torch fp32 and onnx-int8;
2. a plain transformers pipeline called one sentence at a time;
3. `sayso serve` under 16 concurrent clients sending whole articles (~40 sentences), per runtime,
   plus the idle p50 latency of one article.

    python bench/serve_bench.py [--model DIR] [--articles 48] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.classifier import Classifier, SentenceInput, default_model_dir  # noqa: E402
from models.segment import split_sentences  # noqa: E402


def articles(n: int) -> list[str]:
    """~40-sentence articles: consecutive test-split articles joined in pairs."""
    by_article: dict[str, list[str]] = {}
    for path in sorted((ROOT / "training" / "data" / "test").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_article.setdefault(row["article_id"], []).append(row["text"])
    texts = [" ".join(s) for s in by_article.values()]
    joined = [texts[i] + "\n\n" + texts[i + 1] for i in range(0, len(texts) - 1, 2)]
    return [joined[i % len(joined)] for i in range(n)]


def bare_forward(classifier: Classifier, docs: list[list[SentenceInput]]) -> float:
    """Sentences per second of encode + batched forward only (no decoding), best of 2."""
    from models.classifier import encode_sentences

    texts = [s.text for d in docs for s in d]
    contexts = [d[i - 1].text if i else "" for d in docs for i in range(len(d))]
    best = 0.0
    for _ in range(2):
        started = time.perf_counter()
        encoded = encode_sentences(classifier.tokenizer, classifier.config, classifier.mentions, texts, contexts)
        classifier.forward(encoded)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def plain_pipeline(sentences: list[str], threads: int) -> float:
    import torch
    from transformers import pipeline

    from models.encoder import packaged_base_path

    # sayso's torch backend runs one thread per batch and sets torch's global count to 1; the
    # pipeline gets the count a fresh process has, as a newsroom developer's script would.
    torch.set_num_threads(threads)
    classify = pipeline("text-classification", model=str(packaged_base_path()), device="cpu")
    classify(sentences[0])
    best = 0.0
    for _ in range(2):  # best of 2, as for the ceiling: the baseline gets its best showing
        started = time.perf_counter()
        for sentence in sentences:
            classify(sentence)
        best = max(best, len(sentences) / (time.perf_counter() - started))
    return best


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _clients(url: str, texts: list[str], clients: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for text in texts:
        queue.put_nowait(text)
    sentences = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal sentences
        while not queue.empty():
            text = queue.get_nowait()
            started = time.perf_counter()
            response = await http.post("/v1/classify", json={"text": text})
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)
            sentences += len(response.json()["sentences"])

    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return sentences / elapsed, latencies


def serve(model: Path, runtime: str, texts: list[str], clients: int) -> dict[str, float]:
    port = free_port()
    env = {**os.environ, "SAYSO_RUNTIME": runtime, "SAYSO_THREADS": "2"}
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sayso.cli", "serve", "--model", str(model), "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            asyncio.run(_clients(url, texts[:4], 4))  # warm-up
            idle = []
            with httpx.Client(base_url=url, timeout=60) as http:
                for text in texts[:10]:
                    started = time.perf_counter()
                    http.post("/v1/classify", json={"text": text}).raise_for_status()
                    idle.append(time.perf_counter() - started)
            rate, latencies = asyncio.run(_clients(url, texts, clients))
        finally:
            process.terminate()
            process.wait(30)
    latencies.sort()
    return {
        "sentences_per_s": rate,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "idle_p50_ms": 1000 * statistics.median(idle),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=default_model_dir())
    parser.add_argument("--articles", type=int, default=48)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    import torch

    default_threads = torch.get_num_threads()
    texts = articles(args.articles)
    docs = [[SentenceInput(s.text, s.start, s.end) for s in split_sentences(t)] for t in texts]
    n_sentences = sum(len(d) for d in docs)
    print(
        f"{len(texts)} articles, {n_sentences} sentences ({n_sentences / len(texts):.0f} per article), "
        f"{os.cpu_count()} CPUs"
    )

    from models.onnx_runtime import load_onnx_classifier

    torch_model = Classifier.load(args.model, threads=2)
    onnx_model = load_onnx_classifier(args.model, threads=2)
    ceiling = {"torch": bare_forward(torch_model, docs), "onnx-int8": bare_forward(onnx_model, docs)}
    flat = [s.text for d in docs for s in d][:600]
    pipeline_rate = plain_pipeline(flat, default_threads)
    del torch_model, onnx_model

    print(f"\n{'what':<46}{'sent/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'idle p50':>10}")
    print(f"{'plain transformers pipeline, 1 sentence/call':<46}{pipeline_rate:>9.0f}")
    for runtime in ("torch", "onnx-int8"):
        print(f"{'bare batched forward, ' + runtime:<46}{ceiling[runtime]:>9.0f}")
    for runtime in ("torch", "onnx-int8"):
        r = serve(args.model, runtime, texts, args.clients)
        label = f"sayso serve, {args.clients} clients, {runtime}"
        print(
            f"{label:<46}{r['sentences_per_s']:>9.0f}{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{r['idle_p50_ms']:>10.0f}"
            f"   {r['sentences_per_s'] / ceiling[runtime]:.0%} of its ceiling, "
            f"{r['sentences_per_s'] / pipeline_rate:.1f}x the pipeline"
        )


if __name__ == "__main__":
    main()
