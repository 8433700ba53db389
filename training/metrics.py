"""Metrics over gold records and predicted sentence results (ANNOTATION.md labels).

- type: per-class precision/recall/F1 and macro-F1;
- stance: F_avg per target = mean of favor-F1 and against-F1 (SemEval-2016 Task 6), and its mean;
- source and cue: exact-span F1 (a predicted span counts only if both offsets match);
- content: character-overlap F1 (overlap summed over sentences, over predicted and gold lengths);
- speaker: accuracy over gold quotes (a None gold speaker must be predicted as None);
- mentioned: accuracy per target.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.schema import STANCE_LABELS, TYPE_LABELS, SentenceResult
from models.speakers import resolve_speakers
from training.corpus import Record, group_articles


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows are gold labels, columns predicted labels."""
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[labels.index(g)][labels.index(p)] += 1
    return matrix


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    return {
        label: prf(
            sum(g == p == label for g, p in zip(gold, pred, strict=True)),
            sum(p == label for p in pred),
            sum(g == label for g in gold),
        )
        for label in labels
    }


def normalise_speaker(name: str | None) -> str | None:
    return " ".join(name.casefold().split()) if name else None


def speaker_accuracy(gold: Sequence[str | None], predicted: Sequence[str | None]) -> dict[str, float]:
    """Share of gold quotes whose speaker is matched (a None gold must be predicted as None)."""
    correct = sum(normalise_speaker(g) == normalise_speaker(p) for g, p in zip(gold, predicted, strict=True))
    return {"accuracy": correct / len(gold) if gold else 0.0, "support": len(gold)}


def stance_f_avg(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, dict[str, dict[str, float]]]:
    """SemEval-2016 F_avg (mean of favor-F1 and against-F1) and the per-class figures."""
    classes = per_class(gold, predicted, STANCE_LABELS)
    return (classes["favor"]["f1"] + classes["against"]["f1"]) / 2, classes


def score(records: Sequence[Record], results: Sequence[SentenceResult], targets: Sequence[str]) -> dict[str, Any]:
    """All metrics for predictions aligned one-to-one with gold records."""
    if len(records) != len(results):
        raise ValueError(f"{len(records)} gold records but {len(results)} predictions")
    gold_types = [r.type for r in records]
    pred_types = [p.type_label for p in results]
    type_classes = per_class(gold_types, pred_types, TYPE_LABELS)
    out: dict[str, Any] = {
        "sentences": len(records),
        "type": {
            "macro_f1": sum(c["f1"] for c in type_classes.values()) / len(TYPE_LABELS),
            "accuracy": sum(g == p for g, p in zip(gold_types, pred_types, strict=True)) / max(len(records), 1),
            "per_class": type_classes,
            "confusion": confusion(gold_types, pred_types, TYPE_LABELS),
        },
        "stance": {},
        "mentioned": {},
    }
    for target in targets:
        gold = [r.stance[target] for r in records]
        pred = [p.stance[target].label for p in results]
        f_avg, classes = stance_f_avg(gold, pred)
        out["stance"][target] = {
            "f_avg": f_avg,
            "per_class": classes,
            "confusion": confusion(gold, pred, STANCE_LABELS),
        }
        out["mentioned"][target] = sum(
            r.mentioned[target] == p.stance[target].mentioned for r, p in zip(records, results, strict=True)
        ) / max(len(records), 1)
    out["stance_f_avg_mean"] = sum(v["f_avg"] for v in out["stance"].values()) / max(len(targets), 1)

    for kind in ("source", "cue"):
        tp = n_pred = n_gold = 0
        for record, result in zip(records, results, strict=True):
            gold_span = getattr(record, kind) if record.type == "quote" else None
            span = getattr(result.attribution, kind) if result.attribution else None
            pred_span = (span.start, span.end) if span else None
            n_gold += gold_span is not None
            n_pred += pred_span is not None
            tp += gold_span is not None and pred_span == gold_span
        out[kind] = prf(tp, n_pred, n_gold)

    overlap = pred_chars = gold_chars = 0
    for record, result in zip(records, results, strict=True):
        gold_span = record.content if record.type == "quote" else None
        span = result.attribution.content if result.attribution else None
        if gold_span:
            gold_chars += gold_span[1] - gold_span[0]
        if span:
            pred_chars += span.end - span.start
        if gold_span and span:
            overlap += max(0, min(gold_span[1], span.end) - max(gold_span[0], span.start))
    content = prf(overlap, pred_chars, gold_chars)
    content["support"] = sum(r.type == "quote" and r.content is not None for r in records)
    out["content"] = content

    quotes = [(r, p) for r, p in zip(records, results, strict=True) if r.type == "quote"]
    out["speaker"] = speaker_accuracy(
        [r.speaker for r, _ in quotes], [p.attribution.speaker if p.attribution else None for _, p in quotes]
    )
    return out


def gold_source_speaker_accuracy(records: Sequence[Record]) -> dict[str, float]:
    """Speaker accuracy of the resolution rules alone: each article's gold types and gold source
    spans go in, so what is left is resolution ("he" -> an earlier name), not span finding."""
    gold: list[str | None] = []
    resolved: list[str | None] = []
    for article in group_articles(records):
        is_quote = [r.type == "quote" for r in article]
        sources = [r.text[r.source[0] : r.source[1]] if r.type == "quote" and r.source else None for r in article]
        speakers = resolve_speakers([r.text for r in article], is_quote, sources)
        gold += [r.speaker for r in article if r.type == "quote"]
        resolved += [s for s, quote in zip(speakers, is_quote, strict=True) if quote]
    return speaker_accuracy(gold, resolved)


def headline(metrics: dict[str, Any]) -> dict[str, float]:
    """The figures the issue's bar is stated in, flat."""
    flat = {"type_macro_f1": metrics["type"]["macro_f1"]}
    for target, values in metrics["stance"].items():
        flat[f"stance_f_avg_{target}"] = values["f_avg"]
    flat["stance_f_avg_mean"] = metrics["stance_f_avg_mean"]
    flat["source_exact_f1"] = metrics["source"]["f1"]
    flat["cue_exact_f1"] = metrics["cue"]["f1"]
    flat["content_overlap_f1"] = metrics["content"]["f1"]
    flat["speaker_accuracy"] = metrics["speaker"]["accuracy"]
    return {k: round(v, 4) for k, v in flat.items()}
