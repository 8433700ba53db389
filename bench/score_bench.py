"""Batch scoring benchmark, side by side in one run (issue 5). Prints a table; asserts nothing.

1. the bare model's batched forward pass (encode + forward, no splitting, decoding or writing)
   on the sentences of the speed archive: the ceiling, for torch fp32 and onnx-int8;
2. `sayso score` (local engine) on the same articles, per runtime, as a share of that ceiling;
3. `sayso score --engine ray` with 1 and 2 actors (torch);
4. optionally the memory run: `sayso score` over the full archive (default 100,000 articles),
   its peak resident memory against its size.

    python bench/score_bench.py [--model DIR] [--speed-articles 1000] [--full-articles 100000]
                                [--full-sentences 8 30] [--skip-full] [--skip-ray] [--threads 2]

Peak memory is the scoring process's own (VmHWM); Ray actors run in other processes and
are not in it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_archive import write_archive  # noqa: E402
from models.classifier import Classifier, SentenceInput, clean_text, default_model_dir  # noqa: E402
from models.segment import split_sentences  # noqa: E402


def read_docs(path: Path) -> list[list[SentenceInput]]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = clean_text(json.loads(line)["text"])
        docs.append([SentenceInput(s.text, s.start, s.end) for s in split_sentences(text)])
    return docs


def bare_forward(model: Path, runtime: str, threads: int, docs: list[list[SentenceInput]]) -> float:
    """Sentences per second of encode + batched forward over the same sentences, best of 2."""
    from serve_bench import bare_forward as forward_rate  # the one definition of the ceiling

    return forward_rate(Classifier.load(model, threads=threads, runtime=runtime), docs)


def score(archive: Path, output: Path, model: Path, *flags: str) -> dict[str, Any]:
    """One `sayso score` process; its summary.json (throughput excludes model load)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_AUTH_MODE": os.environ.get("RAY_AUTH_MODE", "disabled")}
    command = [sys.executable, "-m", "sayso.cli", "score", str(archive), "--output", str(output)]
    subprocess.run([*command, "--model", str(model), *flags], check=True, env=env, cwd=ROOT)
    (summary,) = output.glob("*/summary.json")
    return json.loads(summary.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--speed-articles", type=int, default=1000)
    parser.add_argument("--full-articles", type=int, default=100_000)
    parser.add_argument(
        "--full-sentences", type=int, nargs=2, default=(8, 30), metavar=("MIN", "MAX"), help="article length"
    )
    parser.add_argument("--skip-full", action="store_true", help="skip the memory run over the full archive")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    ns = parser.parse_args()
    model = ns.model or default_model_dir()
    threads = str(ns.threads)
    rows: list[tuple[str, float, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="score-bench-") as tmp:
        work = Path(tmp)
        archive = write_archive(work / "speed.jsonl", ns.speed_articles)
        docs = read_docs(archive)
        sentences = sum(len(d) for d in docs)
        print(f"speed archive: {ns.speed_articles} articles, {sentences} sentences", file=sys.stderr)
        for runtime in ("torch", "onnx-int8"):
            ceiling = bare_forward(model, runtime, ns.threads, docs)
            rows.append((f"bare forward, {runtime}", ceiling, "100%", "-"))
            summary = score(archive, work / f"out-{runtime}", model, "--runtime", runtime, "--threads", threads)
            rate = summary["this_run"]["sentences_per_s"]
            peak = f"{summary['this_run']['peak_rss_mib']:.0f} MiB"
            rows.append((f"sayso score, {runtime}", rate, f"{rate / ceiling:.0%}", peak))
        if not ns.skip_ray:
            for actors in (1, 2):
                summary = score(
                    archive, work / f"out-ray-{actors}", model, "--engine", "ray", "--actors", str(actors),
                    "--shard-size", str(max(1, ns.speed_articles // 16)),
                )  # fmt: skip
                rate = summary["this_run"]["sentences_per_s"]
                peak = f"{summary['this_run']['peak_rss_mib']:.0f} MiB (driver)"
                rows.append((f"sayso score --engine ray, {actors} actor(s), torch", rate, "", peak))
        if not ns.skip_full:
            full = write_archive(work / "full.jsonl", ns.full_articles, sentences_range=tuple(ns.full_sentences))
            size = full.stat().st_size / 2**20
            summary = score(full, work / "out-full", model, "--runtime", "onnx-int8", "--threads", threads)
            rate = summary["this_run"]["sentences_per_s"]
            peak = f"{summary['this_run']['peak_rss_mib']:.0f} MiB for a {size:.0f} MiB archive"
            articles = f"{ns.full_articles} articles of {ns.full_sentences[0]}-{ns.full_sentences[1]} sentences"
            rows.append((f"sayso score, onnx-int8, {articles}", rate, "", peak))
    print(f"\n{'run':<52}{'sentences/s':>12}{'of bare':>9}  peak memory")
    for name, rate, share, peak in rows:
        print(f"{name:<52}{rate:>12.0f}{share:>9}  {peak}")


if __name__ == "__main__":
    main()
