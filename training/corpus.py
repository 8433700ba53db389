"""Read, validate and draft-convert corpus files (ANNOTATION.md section 4).

Every problem is reported as a `CorpusError` naming the file, the line and the reason, so
`sayso validate` and training can print it without a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.jsonl import InputFileError, iter_jsonl
from models.schema import STANCE_LABELS, TYPE_LABELS

DEFAULT_TARGET_NAMES: tuple[str, ...] = ("Kosovo", "Serbia", "NATO")
RECORD_KEYS = {"id", "article_id", "text", "type", "attribution", "stance", "mentioned"}
OPTIONAL_KEYS = {"hard"}


class CorpusError(InputFileError):
    """A bad corpus row: `path:line: reason`."""


@dataclass(frozen=True)
class Record:
    """One labelled sentence; spans are `(start, end)` into `text` or None."""

    id: str
    article_id: str
    text: str
    type: str
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int] | None
    speaker: str | None
    stance: dict[str, str]
    mentioned: dict[str, bool]
    hard: str | None = None

    def to_json(self) -> dict[str, Any]:
        attribution = None
        if self.type == "quote":
            attribution = {
                "source": list(self.source) if self.source else None,
                "cue": list(self.cue) if self.cue else None,
                "content": list(self.content) if self.content else None,
                "speaker": self.speaker,
            }
        row: dict[str, Any] = {
            "id": self.id,
            "article_id": self.article_id,
            "text": self.text,
            "type": self.type,
            "attribution": attribution,
            "stance": self.stance,
            "mentioned": self.mentioned,
        }
        if self.hard:
            row["hard"] = self.hard
        return row


def _span(value: Any, text: str, name: str, path: Path, line: int) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise CorpusError(path, line, f"attribution.{name} must be [start, end] or null, got {value!r}")
    start, end = value
    if not 0 <= start < end <= len(text):
        raise CorpusError(path, line, f"attribution.{name} span {value} is outside the text (length {len(text)})")
    return start, end


def parse_record(row: Any, targets: Sequence[str], path: Path, line: int) -> Record:
    """Check one decoded JSON row against the guide and return it as a Record."""
    if not isinstance(row, dict):
        raise CorpusError(path, line, "row is not a JSON object")
    missing = RECORD_KEYS - row.keys()
    if missing:
        raise CorpusError(path, line, f"missing field(s): {', '.join(sorted(missing))}")
    unknown = row.keys() - RECORD_KEYS - OPTIONAL_KEYS
    if unknown:
        raise CorpusError(path, line, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "article_id", "text"):
        if not isinstance(row[key], str) or not row[key].strip():
            raise CorpusError(path, line, f"{key} must be a non-empty string")
    text = row["text"]
    if row["type"] not in TYPE_LABELS:
        raise CorpusError(path, line, f"unknown type label {row['type']!r} (expected one of {', '.join(TYPE_LABELS)})")
    attribution = row["attribution"]
    source = cue = content = None
    speaker = None
    if row["type"] != "quote":
        if attribution is not None:
            raise CorpusError(path, line, f"attribution on a non-quote ({row['type']}); it must be null")
    else:
        if not isinstance(attribution, dict):
            raise CorpusError(path, line, "a quote needs an attribution object")
        extra = attribution.keys() - {"source", "cue", "content", "speaker"}
        if extra:
            raise CorpusError(path, line, f"unknown attribution field(s): {', '.join(sorted(extra))}")
        source = _span(attribution.get("source"), text, "source", path, line)
        cue = _span(attribution.get("cue"), text, "cue", path, line)
        content = _span(attribution.get("content"), text, "content", path, line)
        speaker = attribution.get("speaker")
        if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
            raise CorpusError(path, line, "attribution.speaker must be a non-empty string or null")
    for key in ("stance", "mentioned"):
        value = row[key]
        if not isinstance(value, dict):
            raise CorpusError(path, line, f"{key} must be an object keyed by target")
        unknown_targets = value.keys() - set(targets)
        if unknown_targets:
            raise CorpusError(
                path,
                line,
                f"unknown target(s) in {key}: {', '.join(sorted(unknown_targets))} (targets are {', '.join(targets)})",
            )
        absent = set(targets) - value.keys()
        if absent:
            raise CorpusError(path, line, f"{key} lacks target(s): {', '.join(sorted(absent))}")
    for target, label in row["stance"].items():
        if label not in STANCE_LABELS:
            raise CorpusError(
                path, line, f"unknown stance label {label!r} for {target} (expected one of {', '.join(STANCE_LABELS)})"
            )
    for target, flag in row["mentioned"].items():
        if not isinstance(flag, bool):
            raise CorpusError(path, line, f"mentioned.{target} must be true or false")
    hard = row.get("hard")
    if hard is not None and not isinstance(hard, str):
        raise CorpusError(path, line, "hard must be a string naming the borderline rule")
    return Record(
        id=row["id"],
        article_id=row["article_id"],
        text=text,
        type=row["type"],
        source=source,
        cue=cue,
        content=content,
        speaker=speaker,
        stance={t: row["stance"][t] for t in targets},
        mentioned={t: row["mentioned"][t] for t in targets},
        hard=hard,
    )


def _rows(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        yield from iter_jsonl(path)
    except InputFileError as exc:
        raise CorpusError(exc.path, exc.line, exc.reason) from None


def read_records(paths: Iterable[str | Path], targets: Sequence[str] = DEFAULT_TARGET_NAMES) -> list[Record]:
    """Read and validate corpus files; ids must be unique across all of them.

    Sentences of one article must be consecutive, since speaker resolution reads them in order.
    """
    records: list[Record] = []
    seen_ids: dict[str, str] = {}
    closed_articles: set[str] = set()
    for path in map(Path, paths):
        previous_article: str | None = None
        for number, row in _rows(path):
            record = parse_record(row, targets, path, number)
            if record.id in seen_ids:
                raise CorpusError(path, number, f"duplicate id {record.id!r} (first at {seen_ids[record.id]})")
            seen_ids[record.id] = f"{path}:{number}"
            if record.article_id != previous_article:
                if record.article_id in closed_articles:
                    raise CorpusError(
                        path, number, f"article {record.article_id!r} is split: its sentences must be consecutive"
                    )
                if previous_article is not None:
                    closed_articles.add(previous_article)
                previous_article = record.article_id
            records.append(record)
        if previous_article is not None:
            closed_articles.add(previous_article)
    return records


def group_articles(records: Sequence[Record]) -> list[list[Record]]:
    """Consecutive records sharing an article_id, in order."""
    articles: list[list[Record]] = []
    for record in records:
        if articles and articles[-1][0].article_id == record.article_id:
            articles[-1].append(record)
        else:
            articles.append([record])
    return articles


# --- drafts -------------------------------------------------------------------------------
# Writers author spans as strings (easier and less error-prone than counting characters); the
# draft converter finds them in the sentence and writes the guide's record format.


def _locate(text: str, value: Any, name: str, path: Path, line: int) -> list[int] | None:
    if value is None:
        return None
    occurrence = 0
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], int):
        value, occurrence = value
    if not isinstance(value, str) or not value:
        raise CorpusError(path, line, f"draft {name} must be a string, [string, n] or null")
    # Only whole-word matches count, so that the source "he" is never found inside "the".
    pattern = (r"(?<!\w)" if value[0].isalnum() else "") + re.escape(value) + (r"(?!\w)" if value[-1].isalnum() else "")
    starts = [m.start() for m in re.finditer(f"(?=({pattern}))", text)]
    if occurrence >= len(starts):
        raise CorpusError(path, line, f"draft {name} {value!r} (occurrence {occurrence}) is not in the text")
    start = starts[occurrence]
    return [start, start + len(value)]


def convert_draft(path: Path, targets: Sequence[str] = DEFAULT_TARGET_NAMES) -> list[dict[str, Any]]:
    """Turn a draft file into guide records, numbering sentences within each article."""
    rows: list[dict[str, Any]] = []
    counters: dict[str, int] = {}
    for number, draft in _rows(path):
        if not isinstance(draft, dict):
            raise CorpusError(path, number, "row is not a JSON object")
        allowed = {"article_id", "text", "type", "source", "cue", "content", "speaker", "stance", "mentioned", "hard"}
        unknown = draft.keys() - allowed
        if unknown:
            raise CorpusError(path, number, f"unknown draft field(s): {', '.join(sorted(unknown))}")
        article = draft.get("article_id")
        text = draft.get("text")
        if not isinstance(article, str) or not isinstance(text, str):
            raise CorpusError(path, number, "draft needs string article_id and text")
        counters[article] = counters.get(article, 0) + 1
        attribution = None
        if draft.get("type") == "quote":
            attribution = {k: _locate(text, draft.get(k), k, path, number) for k in ("source", "cue", "content")}
            attribution["speaker"] = draft.get("speaker")
        elif any(draft.get(k) for k in ("source", "cue", "content", "speaker")):
            raise CorpusError(path, number, "draft has attribution fields on a non-quote")
        stance = draft.get("stance") or {}
        mentioned = draft.get("mentioned") or []
        if not isinstance(stance, dict) or not isinstance(mentioned, list):
            raise CorpusError(path, number, "draft stance must be an object and mentioned a list")
        for name in list(stance) + list(mentioned):
            if name not in targets:
                raise CorpusError(path, number, f"unknown target {name!r} in draft")
        row = {
            "id": f"{article}-s{counters[article]:02d}",
            "article_id": article,
            "text": text,
            "type": draft.get("type"),
            "attribution": attribution,
            "stance": {t: stance.get(t, "neutral") for t in targets},
            "mentioned": {t: t in mentioned for t in targets},
        }
        if draft.get("hard"):
            row["hard"] = draft["hard"]
        parse_record(row, targets, path, number)
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m training.corpus DRAFT.jsonl OUT.jsonl`: convert a draft and check it."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m training.corpus DRAFT.jsonl OUT.jsonl", file=sys.stderr)
        return 2
    try:
        rows = convert_draft(Path(args[0]))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    with open(args[1], "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    try:
        read_records([args[1]])
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    articles = len({r["article_id"] for r in rows})
    print(f"{args[1]}: {len(rows)} sentences in {articles} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def corpus_stats(records: Sequence[Record]) -> dict[str, Any]:
    """Counts for the data card: articles, sentences, label distributions, quotes with spans."""
    targets = list(records[0].stance) if records else []
    stats: dict[str, Any] = {
        "articles": len({r.article_id for r in records}),
        "sentences": len(records),
        "type": {label: sum(r.type == label for r in records) for label in TYPE_LABELS},
        "stance": {t: {label: sum(r.stance[t] == label for r in records) for label in STANCE_LABELS} for t in targets},
        "mentioned": {t: sum(r.mentioned[t] for r in records) for t in targets},
        "quotes_with_spans": sum(r.type == "quote" and any((r.source, r.cue, r.content)) for r in records),
        "hard_cases": sum(r.hard is not None for r in records),
    }
    return stats
