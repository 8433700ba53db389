import json
from pathlib import Path

import pytest

from models.segment import split_sentences

GOLDEN = [json.loads(line) for line in (Path(__file__).parent / "segment_golden.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["text"][:40] or "empty" for c in GOLDEN])
def test_golden_case(case: dict) -> None:
    assert [s.text for s in split_sentences(case["text"])] == case["sentences"]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["text"][:40] or "empty" for c in GOLDEN])
def test_offsets_point_into_the_article(case: dict) -> None:
    sentences = split_sentences(case["text"])
    for sentence in sentences:
        assert case["text"][sentence.start : sentence.end] == sentence.text
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)


def test_golden_set_is_large_enough() -> None:
    assert len(GOLDEN) >= 40


def test_a_huge_line_is_split_quickly_with_true_offsets() -> None:
    text = "Police arrested 12 people in Zvecan, officials said. " * 4000
    sentences = split_sentences(text)
    assert len(sentences) == 4000
    assert all(text[s.start : s.end] == s.text for s in sentences)
