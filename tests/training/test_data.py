"""The committed corpus: valid, frozen where it must be, and as large and balanced as promised."""

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from sayso.cli import main
from training.corpus import corpus_stats, read_records

DATA = Path(__file__).resolve().parents[2] / "training" / "data"
TRAIN = sorted((DATA / "train").glob("*.jsonl"))
TEST = sorted((DATA / "test").glob("*.jsonl"))
PROBE = sorted((DATA / "probe").glob("*.jsonl"))


@pytest.fixture(scope="module")
def records() -> dict[str, list]:
    return {"train": read_records(TRAIN), "test": read_records(TEST), "probe": read_records(PROBE)}


def test_every_corpus_file_validates(capsys) -> None:
    assert main(["validate", *map(str, TRAIN + TEST + PROBE)]) == 0
    assert "error" not in capsys.readouterr().err


def test_frozen_test_split_matches_its_recorded_checksum() -> None:
    recorded = dict(reversed(line.split()) for line in (DATA / "test.sha256").read_text().splitlines())
    actual = {f"test/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in TEST}
    assert actual == recorded


def test_split_is_by_article_with_no_shared_sentences(records) -> None:
    train_articles = {r.article_id for r in records["train"]}
    test_articles = {r.article_id for r in records["test"]}
    assert not train_articles & test_articles
    train_texts = {r.text for r in records["train"]}
    shared = [r.text for r in records["test"] if r.text in train_texts and len(r.text.split()) >= 12]
    assert not shared


def test_probe_articles_are_neither_training_nor_test_articles(records) -> None:
    probe_articles = {r.article_id for r in records["probe"]}
    assert len(probe_articles) == 70
    assert not probe_articles & {r.article_id for r in records["train"] + records["test"]}
    known = {r.text for r in records["train"] + records["test"]}
    assert not [r.text for r in records["probe"] if r.text in known and len(r.text.split()) >= 12]


def test_corpus_meets_the_size_and_balance_promised_in_the_data_card(records) -> None:
    everything = records["train"] + records["test"]
    stats = corpus_stats(everything)
    assert stats["articles"] >= 200 and stats["sentences"] >= 4000
    assert all(count >= 0.25 * stats["sentences"] for count in stats["type"].values())
    for target, counts in stats["stance"].items():
        assert counts["favor"] >= 250 and counts["against"] >= 250, target
    assert stats["quotes_with_spans"] >= 1000
    assert stats["hard_cases"] >= 150
    assert sum(r.hard is not None for r in records["test"]) > 0
    assert corpus_stats(records["test"])["articles"] >= 0.2 * stats["articles"]
    lengths = Counter(r.article_id for r in everything)
    assert min(lengths.values()) >= 12 and max(lengths.values()) <= 30


def test_training_spans_cover_whole_words(records) -> None:
    """A span cut inside a word ("he" inside "the") tags the wrong token; the frozen test split keeps
    the 15 such sources it was written with (see the data card)."""

    def inside_word(text: str, span: tuple[int, int]) -> bool:
        start, end = span
        cut_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
        cut_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        return cut_start or cut_end

    cut = [
        r.id for r in records["train"] for span in (r.source, r.cue, r.content) if span and inside_word(r.text, span)
    ]
    assert not cut
