"""Write a synthetic news archive for `sayso score`: articles recombined from corpus sentences.

Each article is 8-30 sentences (--sentences MIN MAX) drawn from random corpus articles (shuffled,
seeded), in paragraphs of up to three sentences, with `id`, `text` and carried-through `outlet`,
`date`, `url`. Rows are written in chunks, so memory stays small whatever --articles is.

    python bench/make_archive.py --output archive.jsonl [--articles 100000] [--sentences 8 30] [--seed 13]
    python bench/make_archive.py --output archive.parquet   # the format follows the extension
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "training" / "data"
CHUNK = 10_000
OUTLETS = ("BNS", "Balkan Wire", "Adriatic Post", "Danube Daily", "Pristina Ledger")


def corpus_articles() -> list[list[str]]:
    """Sentences of every corpus article (train and test splits), in order."""
    by_article: dict[str, list[str]] = {}
    for path in sorted(DATA.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_article.setdefault(row["article_id"], []).append(row["text"])
    return list(by_article.values())


def articles(n: int, seed: int = 13, sentences_range: tuple[int, int] = (8, 30)) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    pool = corpus_articles()
    start = date(2019, 1, 1)
    for i in range(n):
        sentences: list[str] = []
        target = rng.randint(*sentences_range)
        while len(sentences) < target:
            # Runs of consecutive sentences keep "he added" next to a named speaker.
            source = rng.choice(pool)
            first = rng.randrange(len(source))
            sentences.extend(source[first : first + rng.randint(2, 6)])
        sentences = sentences[:target]
        paragraphs = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
        yield {
            "id": f"art-{i:07d}",
            "text": "\n\n".join(paragraphs),
            "outlet": rng.choice(OUTLETS),
            "date": (start + timedelta(days=rng.randrange(2000))).isoformat(),
            "url": f"https://example.org/news/{i}",
        }


def write_archive(path: Path, n: int, seed: int = 13, sentences_range: tuple[int, int] = (8, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = articles(n, seed, sentences_range)
    if path.suffix == ".parquet":
        writer: pq.ParquetWriter | None = None
        while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
            table = pa.Table.from_pylist(chunk)
            writer = writer or pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
        if writer is not None:
            writer.close()
    else:
        with open(path, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help=".jsonl or .parquet")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sentences", type=int, nargs=2, default=(8, 30), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=13)
    ns = parser.parse_args()
    if ns.output.suffix not in (".jsonl", ".parquet"):
        parser.error("--output must end in .jsonl or .parquet")
    if not 1 <= ns.sentences[0] <= ns.sentences[1]:
        parser.error("--sentences needs 1 <= MIN <= MAX")
    write_archive(ns.output, ns.articles, ns.seed, tuple(ns.sentences))
    print(f"wrote {ns.articles} articles to {ns.output} ({ns.output.stat().st_size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
