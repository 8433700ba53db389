import pytest

from models.schema import Attribution, SentenceResult, Span, TargetStance
from training.corpus import Record
from training.metrics import gold_source_speaker_accuracy, prf, score

TARGETS = ["Kosovo"]


def gold(type_: str, stance: str, source=None, cue=None, content=None, speaker=None) -> Record:
    return Record(
        "i", "a", "0123456789" * 3, type_, source, cue, content, speaker, {"Kosovo": stance}, {"Kosovo": False}
    )


def pred(type_: str, stance: str, source=None, cue=None, content=None, speaker=None) -> SentenceResult:
    def span(s):
        return Span(s[0], s[1], "x") if s else None

    attribution = Attribution(span(source), span(cue), span(content), speaker, 1.0) if type_ == "quote" else None
    return SentenceResult(0, "t", None, None, type_, {}, attribution, {"Kosovo": TargetStance(stance, {}, False)})


def test_prf_by_hand() -> None:
    assert prf(2, 4, 5) == pytest.approx({"precision": 0.5, "recall": 0.4, "f1": 4 / 9, "support": 5})
    assert prf(0, 0, 0)["f1"] == 0.0


def test_score_by_hand() -> None:
    records = [
        gold("quote", "favor", (0, 3), (4, 8), (10, 20), "Ana"),
        gold("quote", "against", (0, 3), (4, 8), (10, 20), None),
        gold("fact", "neutral"),
        gold("opinion", "against"),
    ]
    results = [
        pred("quote", "favor", (0, 3), (4, 9), (15, 25), "ana"),  # source exact, cue off by one
        pred("fact", "neutral"),  # missed quote: nothing predicted
        pred("fact", "neutral"),
        pred("opinion", "favor"),
    ]
    m = score(records, results, TARGETS)
    # type: quote P=1/1 R=1/2 F=2/3; fact P=1/2 R=1 F=2/3; opinion F=1 -> macro 7/9
    assert m["type"]["macro_f1"] == pytest.approx(7 / 9)
    # favor: P=1/2 R=1 F=2/3; against: P=0 R=0 F=0 -> F_avg 1/3
    assert m["stance"]["Kosovo"]["f_avg"] == pytest.approx(1 / 3)
    assert m["source"]["f1"] == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert m["cue"]["f1"] == 0.0
    # content: overlap 5 chars, predicted 10, gold 20 -> P=.5 R=.25
    assert m["content"]["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    # speaker: "ana" matches "Ana" (case-folded); the missed quote's gold None matches predicted None
    assert m["speaker"]["accuracy"] == 1.0
    assert m["type"]["confusion"] == [[1, 0, 0], [1, 1, 0], [0, 0, 1]]


def _quote(id_: str, text: str, source: tuple[int, int] | None, speaker: str | None) -> Record:
    return Record(id_, "art", text, "quote", source, None, None, speaker, {"Kosovo": "neutral"}, {"Kosovo": False})


def test_gold_source_speaker_accuracy_resolves_from_gold_spans() -> None:
    first = "Petar Petkovic said the talks were over."
    second = '"We will not return," he added.'
    records = [_quote("s1", first, (0, 14), "Petar Petkovic"), _quote("s2", second, (22, 24), "Petar Petkovic")]
    assert gold_source_speaker_accuracy(records) == {"accuracy": 1.0, "support": 2}
    # The rules resolve "he" to Petkovic, so a gold naming someone else is a miss.
    records[1] = _quote("s2", second, (22, 24), "Albin Kurti")
    assert gold_source_speaker_accuracy(records)["accuracy"] == 0.5
