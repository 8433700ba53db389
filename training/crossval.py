"""k-fold cross-validation by article on the training split: mean and spread of each headline metric."""

from __future__ import annotations

import dataclasses
import json
import random
import statistics
import tempfile
from pathlib import Path
from typing import Any

from training.corpus import group_articles, read_records
from training.train import TrainingArguments, train


def article_folds(article_ids: list[str], folds: int, seed: int) -> list[set[str]]:
    order = sorted(article_ids)
    random.Random(seed).shuffle(order)
    return [set(order[i::folds]) for i in range(folds)]


def cross_validate(args: TrainingArguments, folds: int = 5) -> dict[str, Any]:
    """Train `folds` models, each holding out one fold of articles as its dev set."""
    records = read_records(args.data, args.targets)
    ids = [a[0].article_id for a in group_articles(records)]
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="sayso-cv-") as tmp:
        for k, held_out in enumerate(article_folds(ids, folds, args.seed)):
            train_file, dev_file = Path(tmp) / f"train{k}.jsonl", Path(tmp) / f"dev{k}.jsonl"
            with open(train_file, "w", encoding="utf-8") as tr, open(dev_file, "w", encoding="utf-8") as dv:
                for record in records:
                    out = dv if record.article_id in held_out else tr
                    out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            # The held-out fold is appended last and used as the dev split by name, not by chance.
            # It is scored, so it must not also choose the stance calibration.
            fold_args = dataclasses.replace(
                args,
                data=[str(train_file)],
                dev_data=[str(dev_file)],
                dev_fraction=0.0,
                calibrate_stance=False,
                output_dir=str(Path(tmp) / f"model{k}"),
            )
            summary = train(fold_args)
            runs.append(summary["dev"])
            print(f"fold {k + 1}/{folds}: {json.dumps(summary['dev'])}", flush=True)
    keys = list(runs[0])
    return {
        "folds": folds,
        "runs": runs,
        "mean": {k: round(statistics.mean(r[k] for r in runs), 4) for k in keys},
        "stdev": {k: round(statistics.stdev(r[k] for r in runs), 4) if folds > 1 else 0.0 for k in keys},
    }
