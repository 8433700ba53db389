"""`sayso agreement`: a second annotator's blind labels scored against the corpus labels.

The second annotation holds, per sentence, only what the second annotator decided: the speaker
of a quote (given the first annotator's type and source span) and the stance toward each target.
Scoring it the way the model is scored tells how much of the bar is the labels' own noise and how
much is the model's: two careful annotators agreeing at F_avg 0.9 means a model at 0.7 is not
limited by the labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.jsonl import InputFileError, iter_jsonl
from models.schema import STANCE_LABELS, SentenceResult
from training.corpus import Record
from training.metrics import speaker_accuracy, stance_f_avg

DEFAULT_SECOND_ANNOTATION = Path(__file__).parent / "data" / "agreement" / "second-annotation.jsonl"


@dataclass(frozen=True)
class Labels:
    """What is compared, per sentence: a speaker (quotes only) and a stance label per target."""

    speaker: str | None
    stance: Mapping[str, str]


def read_second_annotation(path: str | Path, targets: Sequence[str]) -> dict[str, Labels]:
    """Rows `{"id", "speaker", "stance": {target: label}}`; a bad row fails naming its line."""
    labels: dict[str, Labels] = {}
    for line, row in iter_jsonl(path):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise InputFileError(path, line, "each row must be an object with a string `id`")
        if row["id"] in labels:
            raise InputFileError(path, line, f"duplicate id {row['id']!r}")
        speaker = row.get("speaker")
        if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
            raise InputFileError(path, line, f"speaker must be a non-empty string or null, got {speaker!r}")
        stance = row.get("stance")
        if not isinstance(stance, dict) or set(stance) != set(targets):
            raise InputFileError(path, line, f"stance must give exactly the targets {', '.join(targets)}")
        bad = {t: v for t, v in stance.items() if v not in STANCE_LABELS}
        if bad:
            raise InputFileError(path, line, f"stance labels must be one of {', '.join(STANCE_LABELS)}, got {bad}")
        labels[row["id"]] = Labels(speaker, dict(stance))
    if not labels:
        raise InputFileError(path, 0, "no rows")
    return labels


def agreement_scores(gold: Sequence[Record], other: Sequence[Labels], targets: Sequence[str]) -> dict[str, float]:
    """Stance F_avg per target and speaker accuracy over gold quotes, with `gold` as the reference."""
    if len(gold) != len(other):
        raise ValueError(f"{len(gold)} gold sentences but {len(other)} to compare")
    scores: dict[str, float] = {}
    for target in targets:
        f_avg, _ = stance_f_avg([g.stance[target] for g in gold], [o.stance[target] for o in other])
        scores[f"stance_f_avg_{target}"] = f_avg
    scores["stance_f_avg_mean"] = sum(scores[f"stance_f_avg_{t}"] for t in targets) / len(targets)
    quotes = [(g, o) for g, o in zip(gold, other, strict=True) if g.type == "quote"]
    scores["speaker_accuracy"] = speaker_accuracy([g.speaker for g, _ in quotes], [o.speaker for _, o in quotes])[
        "accuracy"
    ]
    return {k: round(v, 4) for k, v in scores.items()}


def model_labels(results: Sequence[SentenceResult]) -> list[Labels]:
    return [
        Labels(r.attribution.speaker if r.attribution else None, {t: s.label for t, s in r.stance.items()})
        for r in results
    ]


def annotated_records(records: Sequence[Record], second: Mapping[str, Labels]) -> list[Record]:
    """The gold records of the second annotation's sentences. Every article it touches must be
    annotated whole, since speakers and stance are read in the article's context."""
    by_id = {r.id: r for r in records}
    missing = sorted(set(second) - set(by_id))
    if missing:
        raise ValueError(f"{len(missing)} second-annotation ids are not in the gold files, e.g. {missing[0]!r}")
    articles = {by_id[i].article_id for i in second}
    partial = sorted({r.article_id for r in records if r.article_id in articles and r.id not in second})
    if partial:
        raise ValueError(f"article {partial[0]!r} is only partly in the second annotation")
    return [r for r in records if r.id in second]


def format_agreement(rows: Mapping[str, Mapping[str, float]], sentences: int, articles: int) -> str:
    names = list(rows)
    keys = list(next(iter(rows.values())))
    lines = [f"{sentences} sentences, {articles} articles; each column scored against the corpus labels"]
    lines.append(f"{'metric':<22}" + "".join(f"{n:>18}" for n in names))
    lines += [f"{k:<22}" + "".join(f"{rows[n][k]:>18.3f}" for n in names) for k in keys]
    lines.append("speaker: the second annotator was given the corpus source span; the model finds its own")
    return "\n".join(lines)


def agreement_report(
    records: Sequence[Record],
    second: Mapping[str, Labels],
    targets: Sequence[str],
    results: Sequence[SentenceResult] | None = None,
) -> dict[str, Any]:
    """`results` are model predictions aligned with `records` (whole articles), or None."""
    gold = annotated_records(records, second)
    rows = {"second annotator": agreement_scores(gold, [second[g.id] for g in gold], targets)}
    if results is not None:
        kept = [res for rec, res in zip(records, results, strict=True) if rec.id in second]
        rows["model"] = agreement_scores(gold, model_labels(kept), targets)
    return {"sentences": len(gold), "articles": len({g.article_id for g in gold}), "scores": rows}
