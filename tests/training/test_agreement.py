"""Second-annotator agreement: reading, scoring and the `sayso agreement` command."""

import json
from pathlib import Path

import pytest

from models.jsonl import InputFileError
from sayso.cli import main
from training.agreement import (
    DEFAULT_SECOND_ANNOTATION,
    Labels,
    agreement_report,
    agreement_scores,
    annotated_records,
    read_second_annotation,
)
from training.corpus import read_records

MINI_CORPUS = Path(__file__).resolve().parents[1] / "data" / "mini_corpus.jsonl"
DATA = Path(__file__).resolve().parents[2] / "training" / "data"
TARGETS = ("Kosovo", "Serbia", "NATO")


def _copy_of_gold(records) -> list[dict]:
    return [{"id": r.id, "speaker": r.speaker, "stance": dict(r.stance)} for r in records]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_identical_labels_agree_fully() -> None:
    gold = read_records([str(MINI_CORPUS)])
    scores = agreement_scores(gold, [Labels(r.speaker, r.stance) for r in gold], TARGETS)
    assert scores["speaker_accuracy"] == 1.0
    # NATO is the mini corpus's one target with both favor and against gold sentences.
    assert scores["stance_f_avg_NATO"] == 1.0


def test_a_changed_stance_lowers_only_its_target() -> None:
    gold = read_records([str(MINI_CORPUS)])
    other = [Labels(r.speaker, dict(r.stance)) for r in gold]
    before = agreement_scores(gold, other, TARGETS)
    index = next(i for i, r in enumerate(gold) if r.stance["NATO"] == "against")
    other[index].stance["NATO"] = "neutral"
    after = agreement_scores(gold, other, TARGETS)
    assert after["stance_f_avg_NATO"] < before["stance_f_avg_NATO"]
    assert after["stance_f_avg_Kosovo"] == before["stance_f_avg_Kosovo"]


def test_speaker_counts_only_gold_quotes_and_ignores_case() -> None:
    gold = read_records([str(MINI_CORPUS)])
    quotes = [i for i, r in enumerate(gold) if r.type == "quote"]
    other = [Labels("someone" if r.type != "quote" else (r.speaker or "").upper() or None, r.stance) for r in gold]
    assert agreement_scores(gold, other, TARGETS)["speaker_accuracy"] == 1.0
    other[quotes[0]] = Labels("Nobody Here", gold[quotes[0]].stance)
    assert agreement_scores(gold, other, TARGETS)["speaker_accuracy"] == pytest.approx(1 - 1 / len(quotes), abs=1e-4)


def test_bad_rows_name_the_file_and_line(tmp_path: Path) -> None:
    good = {"id": "a", "speaker": None, "stance": {"Kosovo": "favor", "Serbia": "neutral", "NATO": "neutral"}}
    bad_label = _write(
        tmp_path / "label.jsonl", [good, {**good, "id": "b", "stance": {**good["stance"], "NATO": "pro"}}]
    )
    with pytest.raises(InputFileError, match=r"label\.jsonl:2: stance labels"):
        read_second_annotation(bad_label, TARGETS)
    duplicate = _write(tmp_path / "dup.jsonl", [good, good])
    with pytest.raises(InputFileError, match=r"dup\.jsonl:2: duplicate id 'a'"):
        read_second_annotation(duplicate, TARGETS)
    missing_target = _write(tmp_path / "target.jsonl", [{**good, "stance": {"Kosovo": "favor"}}])
    with pytest.raises(InputFileError, match=r"target\.jsonl:1: stance must give exactly"):
        read_second_annotation(missing_target, TARGETS)


def test_an_article_must_be_annotated_whole(tmp_path: Path) -> None:
    gold = read_records([str(MINI_CORPUS)])
    rows = _copy_of_gold(gold)[1:]
    second = read_second_annotation(_write(tmp_path / "second.jsonl", rows), TARGETS)
    with pytest.raises(ValueError, match="only partly"):
        annotated_records(gold, second)
    unknown = read_second_annotation(_write(tmp_path / "unknown.jsonl", [{**rows[0], "id": "nowhere"}]), TARGETS)
    with pytest.raises(ValueError, match="not in the gold files"):
        annotated_records(gold, unknown)


def test_report_scores_the_model_on_the_same_sentences(classifier, tmp_path: Path) -> None:
    from training.train import predict_records

    gold = read_records([str(MINI_CORPUS)])
    first_article = [r for r in gold if r.article_id == gold[0].article_id]
    second = read_second_annotation(_write(tmp_path / "second.jsonl", _copy_of_gold(first_article)), TARGETS)
    report = agreement_report(gold, second, TARGETS, predict_records(classifier, gold))
    assert report["sentences"] == len(first_article) < len(gold)
    identical = agreement_scores(first_article, [Labels(r.speaker, r.stance) for r in first_article], TARGETS)
    assert report["scores"]["second annotator"] == identical
    assert set(report["scores"]["model"]) == set(report["scores"]["second annotator"])


def test_cli_prints_both_columns(tiny_model: Path, tmp_path: Path, capsys) -> None:
    gold = read_records([str(MINI_CORPUS)])
    second = _write(tmp_path / "second.jsonl", _copy_of_gold(gold))
    argv = ["agreement", "--model", str(tiny_model), "--second", str(second), "--data", str(MINI_CORPUS)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert f"{len(gold)} sentences" in printed and "second annotator" in printed and "model" in printed


def test_cli_bad_second_annotation_is_one_line_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["agreement", "--no-model", "--second", str(bad), "--data", str(MINI_CORPUS)]) == 1
    assert f"{bad}:1: malformed JSON" in capsys.readouterr().err


def test_committed_second_annotation_covers_whole_held_out_articles() -> None:
    second = read_second_annotation(DEFAULT_SECOND_ANNOTATION, TARGETS)
    held_out = read_records(
        [str(p) for p in sorted((DATA / "test").glob("*.jsonl")) + sorted((DATA / "probe").glob("*.jsonl"))]
    )
    gold = annotated_records(held_out, second)
    assert len(gold) == len(second)
    training_articles = {r.article_id for r in read_records([str(p) for p in (DATA / "train").glob("*.jsonl")])}
    assert not {r.article_id for r in gold} & training_articles
