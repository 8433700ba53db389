"""`sayso evaluate`: the model and the rule baseline scored side by side on one labelled file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models.classifier import Classifier
from models.schema import STANCE_LABELS, TYPE_LABELS, SentenceResult
from training import baseline
from training.corpus import Record, group_articles
from training.metrics import gold_source_speaker_accuracy, headline, score
from training.train import predict_records

BAR = {  # issue 3's bar, printed beside the figures
    "type_macro_f1": 0.92,
    "stance_f_avg_Kosovo": 0.80,
    "stance_f_avg_Serbia": 0.80,
    "stance_f_avg_NATO": 0.80,
    "source_exact_f1": 0.90,
    "cue_exact_f1": 0.92,
    "content_overlap_f1": 0.90,
    "speaker_accuracy": 0.90,
}


def baseline_results(records: Sequence[Record], classifier: Classifier) -> list[SentenceResult]:
    results: list[SentenceResult] = []
    for article in group_articles(records):
        results.extend(baseline.classify_article([r.text for r in article], classifier.config.targets))
    return results


def evaluate(
    classifier: Classifier, records: Sequence[Record], results: Sequence[SentenceResult] | None = None
) -> dict[str, Any]:
    """Model and rule baseline metrics; pass `results` (from predict_records) to reuse predictions."""
    results = results if results is not None else predict_records(classifier, records)
    model_metrics = score(records, results, classifier.config.target_names)
    base_metrics = score(records, baseline_results(records, classifier), classifier.config.target_names)
    return {
        "model": {"name": classifier.config.name, "version": classifier.config.version},
        "sentences": len(records),
        "articles": len(group_articles(records)),
        "headline": headline(model_metrics),
        "baseline_headline": headline(base_metrics),
        "metrics": model_metrics,
        "baseline": base_metrics,
        "speaker_rules_on_gold_sources": gold_source_speaker_accuracy(records),
    }


def format_table(report: dict[str, Any]) -> str:
    model = report["headline"]
    base = report["baseline_headline"]
    lines = [f"{'metric':<26}{'model':>8}{'rules':>8}{'bar':>7}", "-" * 49]
    for key, value in model.items():
        bar = BAR.get(key)
        lines.append(f"{key:<26}{value:>8.3f}{base.get(key, 0.0):>8.3f}{(f'{bar:.2f}' if bar else ''):>7}")
    lines.append("")
    lines.append(
        "type per class (model):  "
        + "  ".join(
            f"{label} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f}"
            for label, v in report["metrics"]["type"]["per_class"].items()
        )
    )
    lines.append(
        "speaker rules alone:     "
        f"{report['speaker_rules_on_gold_sources']['accuracy']:.3f} (given the gold types and source spans)"
    )
    lines.append(
        "mentioned accuracy:      " + "  ".join(f"{t}={v:.3f}" for t, v in report["metrics"]["mentioned"].items())
    )
    return "\n".join(lines)


def plot_confusions(metrics: dict[str, Any], out_dir: Path) -> list[Path]:
    """One PNG per confusion matrix (type, and stance per target)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    matrices = [("type", metrics["type"]["confusion"], TYPE_LABELS)]
    matrices += [(f"stance_{t}", v["confusion"], STANCE_LABELS) for t, v in metrics["stance"].items()]
    paths = []
    for name, matrix, labels in matrices:
        fig, ax = plt.subplots(figsize=(4, 3.6), dpi=110)
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels)
        ax.set_yticks(range(len(labels)), labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(name.replace("_", " "))
        peak = max(max(row) for row in matrix) or 1
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                ax.text(j, i, str(value), ha="center", va="center", color="white" if value > peak / 2 else "black")
        fig.tight_layout()
        path = out_dir / f"confusion_{name}.png"
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    return paths


def write_report(report: dict[str, Any], output: Path) -> list[Path]:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return plot_confusions(report["metrics"], output.parent)
