import json
from pathlib import Path

import pytest
from safetensors.torch import load_file

from sayso.cli import main
from tests.conftest import MINI_CORPUS
from training.train import TrainingArguments, train


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


def test_training_is_reproducible(tiny_base: Path, tmp_path: Path) -> None:
    def run(name: str) -> dict:
        args = TrainingArguments(
            output_dir=str(tmp_path / name),
            data=[str(MINI_CORPUS)],
            base=str(tiny_base),
            epochs=1,
            batch_size=4,
            dev_fraction=0.0,
            threads=1,
            seed=7,
        )
        train(args)
        return load_file(str(tmp_path / name / "model.safetensors"))

    first, second = run("a"), run("b")
    assert first.keys() == second.keys()
    assert all(first[k].equal(second[k]) for k in first)


def test_init_continues_from_an_existing_model(tiny_model: Path, tmp_path: Path) -> None:
    args = TrainingArguments(
        output_dir=str(tmp_path / "cont"),
        data=[str(MINI_CORPUS)],
        init=str(tiny_model),
        epochs=1,
        batch_size=4,
        dev_fraction=0.0,
        threads=1,
        learning_rate=0.0,
        head_learning_rate=0.0,
        weight_decay=0.0,
    )
    train(args)
    before = load_file(str(tiny_model / "model.safetensors"))
    after = load_file(str(tmp_path / "cont" / "model.safetensors"))
    assert all(before[k].equal(after[k]) for k in before)


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
