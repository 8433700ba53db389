import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.torch import load_file

from models.schema import ModelConfig, default_target_specs
from sayso.cli import main
from tests.conftest import MINI_CORPUS
from training.train import (
    BUDGET_PROBE_STEPS,
    NEUTRAL_SCALES,
    TrainingArguments,
    best_neutral_scale,
    steps_within_budget,
    train,
)


def test_model_folder_is_self_describing(tiny_model: Path) -> None:
    names = {p.name for p in tiny_model.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "sayso.json", "dev_metrics.json"} <= names
    assert not [n for n in names if n.endswith((".bin", ".pt", ".pkl", ".pickle"))]
    card = json.loads((tiny_model / "sayso.json").read_text())
    assert [t["name"] for t in card["targets"]] == ["Kosovo", "Serbia", "NATO"]
    assert "Pristina" in card["targets"][0]["aliases"]
    assert len(card["base_model"]["sha256"]) == 64 and len(card["training_data_sha256"]) == 64
    assert card["created"] and card["version"].endswith(card["training_data_sha256"][:8])
    assert "type_macro_f1" in card["dev_metrics"]
    assert card["training"]["seconds"] > 0 and card["training"]["peak_rss_mib"] > 0


def quick_args(output_dir: Path, **options: object) -> TrainingArguments:
    """One epoch on the mini corpus, no dev articles, one thread."""
    defaults = {"data": [str(MINI_CORPUS)], "epochs": 1, "batch_size": 4, "dev_fraction": 0.0, "threads": 1}
    return TrainingArguments(output_dir=str(output_dir), **{**defaults, **options})


def test_training_is_reproducible(tiny_base: Path, tmp_path: Path) -> None:
    def run(name: str) -> dict:
        train(quick_args(tmp_path / name, base=str(tiny_base), seed=7))
        return load_file(str(tmp_path / name / "model.safetensors"))

    first, second = run("a"), run("b")
    assert first.keys() == second.keys()
    assert all(first[k].equal(second[k]) for k in first)


@pytest.mark.parametrize(
    ("options", "frozen_prefixes", "trained_prefix"),
    [
        ({"frozen_layers": 1}, ("embeddings.", "encoder.layer.0."), "encoder.layer.1."),
        ({}, ("embeddings.",), "encoder.layer.0."),  # the default keeps only the embeddings
    ],
)
def test_frozen_layers_keep_their_starting_weights_and_the_rest_train(
    tiny_base: Path, tmp_path: Path, options: dict, frozen_prefixes: tuple[str, ...], trained_prefix: str
) -> None:
    train(quick_args(tmp_path / "m", base=str(tiny_base), **options))
    start = load_file(str(tiny_base / "model.safetensors"))
    after = load_file(str(tmp_path / "m" / "model.safetensors"))
    frozen = [k for k in start if k.startswith(frozen_prefixes)]
    trained = [k for k in start if k.startswith(trained_prefix) and k.endswith("weight")]
    assert frozen and trained
    assert all(start[k].equal(after[f"encoder.{k}"]) for k in frozen)
    assert all(not start[k].equal(after[f"encoder.{k}"]) for k in trained)


def test_more_frozen_layers_than_the_encoder_has_is_an_error(tiny_base: Path, tmp_path: Path, capsys) -> None:
    argv = ["train", "--data", str(MINI_CORPUS), "--base", str(tiny_base), "--output-dir", str(tmp_path / "m")]
    assert main([*argv, "--frozen-layers", "3", "--epochs", "0.1"]) == 1
    assert "--frozen-layers 3: the encoder has only 2 layers" in capsys.readouterr().err


def test_init_continues_from_an_existing_model(tiny_model: Path, tmp_path: Path) -> None:
    zero = {"learning_rate": 0.0, "head_learning_rate": 0.0, "weight_decay": 0.0}
    train(quick_args(tmp_path / "cont", init=str(tiny_model), **zero))
    before = load_file(str(tiny_model / "model.safetensors"))
    after = load_file(str(tmp_path / "cont" / "model.safetensors"))
    assert all(before[k].equal(after[k]) for k in before)


def test_fine_tuning_without_dev_articles_keeps_the_neutral_scale(tiny_model: Path, tmp_path: Path) -> None:
    start = tmp_path / "start"
    shutil.copytree(tiny_model, start)
    card = json.loads((start / "sayso.json").read_text())
    card["stance_neutral_scale"] = 2.5
    (start / "sayso.json").write_text(json.dumps(card))
    train(quick_args(tmp_path / "tuned", init=str(start)))
    assert json.loads((tmp_path / "tuned" / "sayso.json").read_text())["stance_neutral_scale"] == 2.5


def test_cli_takes_a_json_config_and_flags_override_it(tiny_base: Path, tmp_path: Path, capsys) -> None:
    config = tmp_path / "train.json"
    config.write_text(
        json.dumps(
            {
                "output_dir": str(tmp_path / "m"),
                "data": [str(MINI_CORPUS)],
                "base": str(tiny_base),
                "epochs": 3,
                "batch_size": 6,
                "dev_fraction": 0.0,
            }
        )
    )
    assert main(["train", "--config", str(config), "--epochs", "0.5", "--threads", "1"]) == 0
    card = json.loads((tmp_path / "m" / "sayso.json").read_text())
    assert card["training"]["epochs"] == 0.5 and card["training"]["batch_size"] == 6
    assert "peak memory" in capsys.readouterr().out


def test_cli_rejects_an_unknown_config_option(tmp_path: Path, capsys) -> None:
    config = tmp_path / "train.json"
    config.write_text(json.dumps({"output_dir": str(tmp_path / "m"), "epochz": 3}))
    assert main(["train", "--config", str(config)]) == 1
    assert "epochz" in capsys.readouterr().err


def test_bad_training_data_is_reported_without_a_traceback(tiny_base: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(MINI_CORPUS.read_text().splitlines()[0].replace('"quote"', '"rumour"') + "\n")
    assert main(["train", "--output-dir", str(tmp_path / "m"), "--data", str(bad), "--base", str(tiny_base)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1" in err and "rumour" in err and "Traceback" not in err


@pytest.mark.parametrize("flag", ["--base", "--init"])
def test_missing_base_or_init_folder_is_an_error(tmp_path: Path, capsys, flag: str) -> None:
    assert (
        main(["train", "--output-dir", str(tmp_path / "m"), "--data", str(MINI_CORPUS), flag, str(tmp_path / "nope")])
        == 1
    )
    assert "nope" in capsys.readouterr().err


def test_the_neutral_scale_is_the_one_that_best_separates_dev_stances() -> None:
    config = ModelConfig("m", "1", default_target_specs(["Kosovo"]), {})
    # favor, against, neutral: the two neutral rows lean slightly to favor unscaled
    raw = np.array([[[0.7, 0.1, 0.2]], [[0.1, 0.7, 0.2]], [[0.45, 0.1, 0.45]], [[0.4, 0.2, 0.4]]])
    gold = [["favor", "against", "neutral", "neutral"]]
    assert best_neutral_scale(raw, gold, config) == 1.25  # the smallest scale that gets all four right
    assert best_neutral_scale(raw[:2], [gold[0][:2]], config) == 1.0  # a tie keeps the probabilities as they are
    # one neutral row of many set right by 1.25 gains less than MIN_CALIBRATION_GAIN: no change
    many = np.concatenate([np.tile(raw[:2], (200, 1, 1)), raw[2:3], np.tile(raw[2:3] * [1, 1, 1.5], (40, 1, 1))])
    many_gold = [["favor", "against"] * 200 + ["neutral"] * 41]
    assert best_neutral_scale(many, many_gold, config) == 1.0
    assert set(NEUTRAL_SCALES) >= {1.0, 1.25}


def test_training_with_dev_articles_records_a_calibrated_neutral_scale(tiny_model: Path) -> None:
    card = json.loads((tiny_model / "sayso.json").read_text())
    assert card["stance_neutral_scale"] in NEUTRAL_SCALES


def test_a_run_too_slow_for_its_time_budget_trains_fewer_steps() -> None:
    args = TrainingArguments(output_dir="unused", time_budget_minutes=15.0)
    # at step 200, 75 s into the run: 900 - 75 - 45 s left at 0.5 s a step
    assert steps_within_budget(200, 10_000, 0.5, 75.0, args) == 200 + 1560
    assert steps_within_budget(200, 1_000, 0.5, 75.0, args) == 1_000  # a fast enough CPU keeps every step
    assert steps_within_budget(200, 1_000, 0.5, 900.0, args) == 200  # over budget already: stop here


def test_the_model_card_records_the_steps_a_time_budget_allowed(tiny_base: Path, tmp_path: Path) -> None:
    train(quick_args(tmp_path / "m", base=str(tiny_base), epochs=100, time_budget_minutes=0.01))
    card = json.loads((tmp_path / "m" / "sayso.json").read_text())["training"]
    assert card["steps"] == BUDGET_PROBE_STEPS < card["planned_steps"]
