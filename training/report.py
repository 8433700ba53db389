"""`sayso evaluate --report DIR`: an HTML report with pictures, readable offline.

DIR/index.html holds the metrics table (model beside the rule baseline), and links by relative
path the PNGs written beside it: a headline bar chart, the confusion matrices, per-class
precision / recall / F1 bars for type and for stance per target. Given the model's predictions
(`results`, aligned with `records`), it also lists the sentences the model got most wrong: the
wrong type or stance labels it gave with the highest confidence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from models.schema import STANCE_LABELS, TYPE_LABELS, SentenceResult
from training.corpus import Record
from training.evaluate import BAR, plot_confusions

MOST_WRONG = 25
# Okabe-Ito: distinguishable with the common colour-vision deficiencies; bars also carry hatches.
MODEL_COLOUR, BASELINE_COLOUR = "#0072B2", "#E69F00"
PRF_COLOURS = {"precision": "#0072B2", "recall": "#E69F00", "f1": "#009E73"}
PRF_HATCHES = {"precision": "", "recall": "//", "f1": ".."}


@dataclass(frozen=True)
class Mistake:
    """One wrong label: which sentence, which decision (type or a target's stance), gold and
    predicted labels, and the model's confidence in its wrong answer."""

    record: Record
    decision: str
    gold: str
    predicted: str
    confidence: float


def most_wrong(records: Sequence[Record], results: Sequence[SentenceResult], limit: int = MOST_WRONG) -> list[Mistake]:
    """The `limit` wrong type or stance labels given with the highest confidence."""
    if len(records) != len(results):
        raise ValueError(f"{len(records)} gold records but {len(results)} predictions")
    mistakes: list[Mistake] = []
    for record, result in zip(records, results, strict=True):
        if result.type_label != record.type:
            confidence = result.type_scores.get(result.type_label, 0.0)
            mistakes.append(Mistake(record, "type", record.type, result.type_label, confidence))
        for target, gold in record.stance.items():
            stance = result.stance.get(target)
            if stance is None or stance.label == gold:
                continue
            confidence = stance.scores.get(stance.label, 0.0)
            mistakes.append(Mistake(record, f"stance {target}", gold, stance.label, confidence))
    mistakes.sort(key=lambda m: (-m.confidence, m.record.id, m.decision))
    return mistakes[:limit]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "target"


def plot_headline(report: dict[str, Any], out_dir: Path) -> Path:
    """Horizontal bars: every headline metric, model beside rule baseline, with the bar marked."""
    plt = _pyplot()
    model = report["headline"]
    base = report.get("baseline_headline", {})
    keys = list(model)
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(keys) + 1.4), dpi=110)
    positions = range(len(keys))
    height = 0.38
    mine = ax.barh(
        [p - height / 2 for p in positions], [model[k] for k in keys], height, label="model", color=MODEL_COLOUR
    )
    theirs = ax.barh(
        [p + height / 2 for p in positions],
        [base.get(k, 0.0) for k in keys],
        height,
        label="rule baseline",
        color=BASELINE_COLOUR,
        hatch="//",
        edgecolor="#5a3d00",
    )
    for bars in (mine, theirs):
        ax.bar_label(bars, labels=[f"{b.get_width():.2f}" for b in bars], fontsize=6, padding=2)
    for p, key in zip(positions, keys, strict=True):
        bar = BAR.get(key)
        if bar is not None:
            ax.plot([bar, bar], [p - 0.45, p + 0.45], color="black", linewidth=1.5, linestyle="--")
    ax.set_yticks(list(positions), [k.replace("_", " ") for k in keys])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("score (dashed line: the bar to reach)")
    ax.set_title("Headline metrics: model vs rule baseline", pad=24)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path = out_dir / "headline.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_per_class(name: str, title: str, per_class: dict[str, dict[str, float]], out_dir: Path) -> Path:
    """Grouped precision / recall / F1 bars, one group per class."""
    plt = _pyplot()
    labels = list(per_class)
    fig, ax = plt.subplots(figsize=(4.9, 3.3), dpi=110)
    width = 0.26
    for i, metric in enumerate(("precision", "recall", "f1")):
        xs = [j + (i - 1) * width for j in range(len(labels))]
        values = [per_class[label][metric] for label in labels]
        bars = ax.bar(
            xs, values, width, label=metric, color=PRF_COLOURS[metric], hatch=PRF_HATCHES[metric], edgecolor="black"
        )
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=6, padding=1)
    ax.set_xticks(range(len(labels)), [f"{label}\n(n={int(per_class[label]['support'])})" for label in labels])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score")
    ax.set_title(title, pad=20)
    ax.legend(fontsize=7, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path = out_dir / f"{name}.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _img(path: Path, alt: str) -> str:
    return f'<figure><img src="{_e(quote(path.name))}" alt="{_e(alt)}"><figcaption>{_e(alt)}</figcaption></figure>'


def _metrics_table(report: dict[str, Any]) -> str:
    model = report["headline"]
    base = report.get("baseline_headline", {})
    rows = []
    for key, value in model.items():
        bar = BAR.get(key)
        met = "" if bar is None else ("yes" if value >= bar else "no")
        rows.append(
            f"<tr><th scope=row>{_e(key)}</th><td>{value:.3f}</td><td>{base.get(key, 0.0):.3f}</td>"
            f"<td>{'' if bar is None else f'{bar:.2f}'}</td><td class=met-{met or 'none'}>{met}</td></tr>"
        )
    return (
        "<table><thead><tr><th scope=col>metric</th><th scope=col>model</th><th scope=col>rule baseline</th>"
        "<th scope=col>bar</th><th scope=col>model meets bar</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _mentioned_table(metrics: dict[str, Any]) -> str:
    mentioned = metrics.get("mentioned", {})
    if not mentioned:
        return ""
    cells = "".join(f"<tr><th scope=row>{_e(t)}</th><td>{v:.3f}</td></tr>" for t, v in mentioned.items())
    return (
        "<h3>Target mentioned: accuracy</h3><table><thead><tr><th scope=col>target</th>"
        f"<th scope=col>accuracy</th></tr></thead><tbody>{cells}</tbody></table>"
    )


def _mistakes_section(records: Sequence[Record], results: Sequence[SentenceResult] | None) -> str:
    if results is None:
        return (
            "<p class=note>The model's predictions were not passed to the report, so the sentences it got "
            "most wrong are not listed.</p>"
        )
    mistakes = most_wrong(records, results)
    if not mistakes:
        return "<p class=note>The model got every type and stance label right.</p>"
    rows = "".join(
        f"<tr><td>{i}</td><td><code>{_e(m.record.id)}</code></td><td class=text>{_e(m.record.text)}</td>"
        f"<td>{_e(m.decision)}</td><td>{_e(m.gold)}</td><td>{_e(m.predicted)}</td><td>{m.confidence:.3f}</td></tr>"
        for i, m in enumerate(mistakes, 1)
    )
    return (
        f"<p>The {len(mistakes)} wrong type or stance labels the model gave with the highest confidence.</p>"
        "<table class=mistakes><thead><tr><th scope=col>#</th><th scope=col>sentence id</th>"
        "<th scope=col>sentence</th><th scope=col>decision</th><th scope=col>gold</th>"
        f"<th scope=col>predicted</th><th scope=col>confidence</th></tr></thead><tbody>{rows}</tbody></table>"
    )


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:72rem;
padding:1rem 1.5rem;color:#1a1a1a;line-height:1.45}
h1{border-bottom:4px solid #0072B2;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #c8c8c0;padding:.25rem .6rem;text-align:left;vertical-align:top}
td{font-variant-numeric:tabular-nums}
thead th{background:#f5f5f2}
.met-yes{color:#00553f;font-weight:600}.met-no{color:#8a3300;font-weight:600}
.gallery{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0}figure img{max-width:100%;border:1px solid #e0e0e0}
figcaption{font-size:.85rem;color:#555}
.mistakes td.text{max-width:34rem}
.note{color:#555;font-style:italic}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem}dt{font-weight:600}dd{margin:0}
"""


def write_html_report(
    report: dict[str, Any],
    records: Sequence[Record],
    out_dir: Path,
    results: Sequence[SentenceResult] | None = None,
) -> Path:
    """Write `out_dir/index.html` and its PNGs; return the HTML file's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics = report["metrics"]
    headline_png = plot_headline(report, out_dir)
    confusions = plot_confusions(metrics, out_dir)
    type_png = plot_per_class("per_class_type", "type: precision / recall / F1", metrics["type"]["per_class"], out_dir)
    stance_pngs = [
        (
            target,
            plot_per_class(
                f"per_class_stance_{_slug(target)}", f"stance toward {target}: P / R / F1", values["per_class"], out_dir
            ),
        )
        for target, values in metrics["stance"].items()
    ]

    model = report.get("model", {})
    facts = [
        ("model", f"{model.get('name', '?')} {model.get('version', '')}".strip()),
        ("runtime", report.get("runtime", "torch")),
        ("data", ", ".join(map(str, report.get("data", []))) or "(not recorded)"),
        ("sentences", report.get("sentences", len(records))),
        ("articles", report.get("articles", "?")),
        ("type accuracy", f"{metrics['type'].get('accuracy', 0.0):.3f}"),
        ("labels", f"type {', '.join(TYPE_LABELS)}; stance {', '.join(STANCE_LABELS)}"),
    ]
    confusion_figs = "".join(
        _img(
            p, f"confusion matrix: {p.stem.removeprefix('confusion_').replace('_', ' ')} (rows gold, columns predicted)"
        )
        for p in confusions
    )
    stance_figs = "".join(_img(p, f"stance toward {t}: per-class precision, recall, F1") for t, p in stance_pngs)
    page = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>sayso evaluation: {_e(model.get("name", "model"))} {_e(model.get("version", ""))}</title>
<style>{STYLE}</style></head>
<body>
<h1>sayso evaluation report</h1>
<dl>{"".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)}</dl>
<h2 id="metrics">Metrics: model vs rule baseline</h2>
{_metrics_table(report)}
{_img(headline_png, "headline metrics, model vs rule baseline; dashed lines mark the bar")}
{_mentioned_table(metrics)}
<h2 id="per-class">Per class</h2>
<div class="gallery">{_img(type_png, "type: per-class precision, recall, F1")}{stance_figs}</div>
<h2 id="confusion">Confusion matrices</h2>
<div class="gallery">{confusion_figs}</div>
<h2 id="most-wrong">The sentences the model got most wrong</h2>
{_mistakes_section(records, results)}
</body>
</html>
"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
