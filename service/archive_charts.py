"""Pictures of an archive's stance: per target over time (when rows carry a date) and per outlet."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

_MONTH = re.compile(r"^(\d{4})-(\d{2})")
POLAR = ("favor", "against")
TOP_OUTLETS = 15


def _rows(files: Sequence[Path], columns: list[str]) -> Iterator[dict[str, Any]]:
    for path in files:
        if path.suffix == ".parquet":
            present = [c for c in columns if c in pq.read_schema(path).names]
            yield from pq.read_table(path, columns=present).to_pylist()
        else:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    yield {c: row.get(c) for c in columns}


def _month(value: Any) -> str | None:
    match = _MONTH.match(str(value)) if value is not None else None
    return f"{match.group(1)}-{match.group(2)}" if match else None


def write_stance_charts(
    out_dir: Path,
    files: Sequence[Path],
    targets: Sequence[str],
    date_column: str,
    outlet_column: str,
    carried: Sequence[str],
) -> list[str]:
    """PNG charts beside the summary; returns their file names (none when the archive has neither
    a date nor an outlet column). Sentences are streamed shard by shard, counts kept per month."""
    wanted = [c for c in (date_column, outlet_column) if c in carried]
    if not wanted:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stance_columns = [f"stance_{t}" for t in targets]
    by_month: Counter[tuple[str, str, str]] = Counter()
    by_outlet: Counter[tuple[str, str, str]] = Counter()
    outlet_sizes: Counter[str] = Counter()
    for row in _rows(files, [*wanted, *stance_columns]):
        month = _month(row.get(date_column)) if date_column in wanted else None
        outlet = row.get(outlet_column) if outlet_column in wanted else None
        if outlet is not None:
            outlet_sizes[str(outlet)] += 1
        for target in targets:
            label = row.get(f"stance_{target}")
            if label in POLAR:
                if month:
                    by_month[(month, target, label)] += 1
                if outlet is not None:
                    by_outlet[(str(outlet), target, label)] += 1
    written = []
    months = sorted({m for m, _, _ in by_month})
    if months:
        fig, axes = plt.subplots(len(targets), 1, figsize=(9, 2.4 * len(targets)), sharex=True, dpi=110)
        for ax, target in zip([axes] if len(targets) == 1 else axes, targets, strict=True):
            for label, style in (("favor", "-"), ("against", "--")):
                ax.plot(months, [by_month[(m, target, label)] for m in months], style, marker="o", label=label)
            ax.set_title(f"stance toward {target}, sentences per month")
            ax.legend(loc="upper left")
        plt.xticks(rotation=45, ha="right")
        fig.tight_layout()
        fig.savefig(out_dir / "stance_over_time.png")
        plt.close(fig)
        written.append("stance_over_time.png")
    outlets = [o for o, _ in outlet_sizes.most_common(TOP_OUTLETS)]
    if outlets and by_outlet:
        fig, axes = plt.subplots(
            1, len(targets), figsize=(4 * len(targets), 0.45 * len(outlets) + 1.5), dpi=110, sharey=True
        )
        for ax, target in zip([axes] if len(targets) == 1 else axes, targets, strict=True):
            favor = [by_outlet[(o, target, "favor")] for o in outlets]
            against = [by_outlet[(o, target, "against")] for o in outlets]
            ax.barh(outlets, favor, label="favor", hatch="//")
            ax.barh(outlets, [-a for a in against], label="against", hatch="..")
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_title(f"{target}: favor (right) / against (left)")
        axes_list = [axes] if len(targets) == 1 else list(axes)
        axes_list[0].legend(loc="lower left")
        fig.tight_layout()
        fig.savefig(out_dir / "stance_by_outlet.png")
        plt.close(fig)
        written.append("stance_by_outlet.png")
    return written
