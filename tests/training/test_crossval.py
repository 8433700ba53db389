import json
from pathlib import Path

import pytest

from tests.conftest import MINI_CORPUS
from training import crossval
from training.train import TrainingArguments


def test_each_fold_is_scored_on_articles_it_neither_trained_on_nor_calibrated_on(monkeypatch, tmp_path: Path) -> None:
    seen: list[TrainingArguments] = []

    def article_ids(path: str) -> set[str]:
        return {json.loads(line)["article_id"] for line in Path(path).read_text().splitlines()}

    def fake_train(args: TrainingArguments) -> dict:
        train_ids, dev_ids = article_ids(args.data[0]), article_ids(args.dev_data[0])
        assert dev_ids and not train_ids & dev_ids
        seen.append(args)
        return {"dev": {"stance_f_avg_mean": 0.5 + len(seen) / 100}}

    monkeypatch.setattr(crossval, "train", fake_train)
    result = crossval.cross_validate(TrainingArguments(output_dir=str(tmp_path), data=[str(MINI_CORPUS)]), folds=2)
    assert len(seen) == 2 and not any(a.calibrate_stance for a in seen)
    assert result["mean"]["stance_f_avg_mean"] == pytest.approx(0.515)
