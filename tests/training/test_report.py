"""The HTML evaluation report: every PNG it links exists and is a real, non-empty image."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from models.classifier import Classifier, SentenceInput
from models.schema import SentenceResult, TargetStance
from tests.conftest import MINI_CORPUS
from training.corpus import Record, group_articles, read_records
from training.evaluate import evaluate
from training.report import most_wrong, write_html_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def predictions(classifier: Classifier, records: list[Record]) -> list[SentenceResult]:
    documents = [[SentenceInput(r.text) for r in article] for article in group_articles(records)]
    return [r for doc in classifier.classify_documents(documents) for r in doc]


@pytest.fixture(scope="module")
def evaluated(classifier: Classifier) -> tuple[dict[str, Any], list[Record], list[SentenceResult]]:
    records = read_records([MINI_CORPUS], classifier.config.target_names)
    return evaluate(classifier, records), records, predictions(classifier, records)


def linked_images(page: str) -> list[str]:
    return [unquote(src) for src in re.findall(r'<img src="([^"]+)"', page)]


def test_report_links_every_png_and_each_is_a_real_image(evaluated, tmp_path: Path) -> None:
    report, records, results = evaluated
    index = write_html_report(report, records, tmp_path / "report", results=results)
    assert index == tmp_path / "report" / "index.html"
    page = index.read_text(encoding="utf-8")
    linked = linked_images(page)
    on_disk = sorted(p.name for p in index.parent.glob("*.png"))
    assert sorted(linked) == on_disk  # every PNG is linked, every link has its PNG
    expected = {"headline.png", "per_class_type.png", "confusion_type.png"}
    for target in ("Kosovo", "Serbia", "NATO"):
        expected |= {f"per_class_stance_{target}.png", f"confusion_stance_{target}.png"}
    assert expected <= set(on_disk)
    for name in on_disk:
        data = (index.parent / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, name
    # Offline: no absolute URLs anywhere in the page.
    assert "http://" not in page and "https://" not in page and "//" not in "".join(linked)
    assert "model vs rule baseline" in page
    for key in report["headline"]:
        assert key in page
    assert 'id="most-wrong"' in page


def test_most_wrong_sentences_are_listed_when_predictions_are_given(evaluated, tmp_path: Path) -> None:
    report, records, results = evaluated
    page = write_html_report(report, records, tmp_path, results=results).read_text(encoding="utf-8")
    mistakes = most_wrong(records, results)
    assert len(mistakes) <= 25
    assert [m.confidence for m in mistakes] == sorted((m.confidence for m in mistakes), reverse=True)
    for mistake in mistakes:
        assert mistake.record.id in page
    without = write_html_report(report, records, tmp_path / "plain").read_text(encoding="utf-8")
    assert "predictions were not passed" in without


def _record(i: int, type_: str, serbia: str) -> Record:
    return Record(
        id=f"r{i}",
        article_id="a",
        text=f"Sentence <{i}> about Serbia & NATO.",
        type=type_,
        source=None,
        cue=None,
        content=None,
        speaker=None,
        stance={"Serbia": serbia},
        mentioned={"Serbia": True},
    )


def _result(i: int, type_: str, type_conf: float, serbia: str, stance_conf: float) -> SentenceResult:
    type_scores = {t: (type_conf if t == type_ else (1 - type_conf) / 2) for t in ("fact", "quote", "opinion")}
    stance_scores = {
        s: (stance_conf if s == serbia else (1 - stance_conf) / 2) for s in ("favor", "against", "neutral")
    }
    return SentenceResult(
        index=i,
        text=f"Sentence {i}",
        start=None,
        end=None,
        type_label=type_,
        type_scores=type_scores,
        attribution=None,
        stance={"Serbia": TargetStance(serbia, stance_scores, True)},
    )


def test_most_wrong_ranks_confident_mistakes_first_and_skips_right_answers() -> None:
    records = [_record(0, "fact", "neutral"), _record(1, "quote", "against"), _record(2, "opinion", "favor")]
    results = [
        _result(0, "fact", 0.99, "neutral", 0.99),  # right on both: never listed
        _result(1, "fact", 0.60, "favor", 0.95),  # wrong type (0.60) and wrong stance (0.95)
        _result(2, "quote", 0.80, "favor", 0.70),  # wrong type (0.80)
    ]
    mistakes = most_wrong(records, results, limit=10)
    assert [(m.record.id, m.decision, m.gold, m.predicted) for m in mistakes] == [
        ("r1", "stance Serbia", "against", "favor"),
        ("r2", "type", "opinion", "quote"),
        ("r1", "type", "quote", "fact"),
    ]
    assert most_wrong(records, results, limit=1)[0].confidence == pytest.approx(0.95)
    with pytest.raises(ValueError):
        most_wrong(records, results[:2])
