from models.quotations import (
    MAX_OPEN_SENTENCES,
    apply_quotation_marks,
    inside_quotation,
    name_whole_quotations,
    quotation_runs,
)
from models.schema import Attribution, SentenceResult, Span

SCORES = {"fact": 0.1, "quote": 0.6, "opinion": 0.3}


def _sentence(text: str, type_label: str, source: str | None = None) -> SentenceResult:
    attribution = None
    if type_label == "quote":
        start = text.find(source) if source else -1
        span = Span(start, start + len(source), source) if source and start >= 0 else None
        attribution = Attribution(span, span, None, None, 0.9)
    return SentenceResult(0, text, None, None, type_label, dict(SCORES), attribution)


def test_a_quote_left_open_carries_over_the_sentences_without_marks() -> None:
    texts = [
        "Vucic spoke in Belgrade.",
        '"They want to provoke us.',
        "Every week there is a new arrest.",
        "We will not fall into that trap,” he added.",
        "The talks resume on Monday.",
    ]
    assert inside_quotation(texts) == [False, False, True, False, False]


def test_straight_marks_open_after_space_and_close_after_words() -> None:
    # "B," closes the first quotation; the sentence after it is the author's again
    assert inside_quotation(['"A," he said, "B," he added.', "The author."]) == [False, False]
    # a wire paragraph re-opens with a mark instead of closing: still open
    assert inside_quotation(['"A. B.', '"C.', "D."]) == [False, False, True]
    assert inside_quotation(["“A.", "B.", "C.”", "D."]) == [False, True, False, False]


def test_a_forgotten_closing_mark_stops_carrying_after_a_few_sentences() -> None:
    texts = ['"A stray mark.'] + [f"Sentence {n}." for n in range(MAX_OPEN_SENTENCES + 2)]
    inside = inside_quotation(texts)
    assert inside[1 : MAX_OPEN_SENTENCES + 1] == [True] * MAX_OPEN_SENTENCES
    assert inside[MAX_OPEN_SENTENCES + 1 :] == [False, False]


def test_continuations_of_an_open_quote_become_bare_quotes() -> None:
    article = [
        _sentence('"They want to provoke us.', "quote"),
        _sentence("Every week there is a new arrest.", "fact"),
        _sentence('We will not fall into that trap," he added.', "quote", "he"),
    ]
    assert apply_quotation_marks(article) == 1
    continued = article[1]
    assert continued.type_label == "quote" and continued.attribution is not None
    assert continued.attribution.source is None and continued.attribution.cue is None
    assert continued.attribution.content == Span(0, 32, "Every week there is a new arrest")


def test_an_unsourced_quote_without_marks_outside_a_transcript_is_the_authors() -> None:
    article = [
        _sentence("Our community has argued for this for 25 years.", "quote"),
        _sentence("KFOR said it would stay.", "quote", "KFOR"),
        _sentence('"We stay."', "quote"),  # a bare quoted continuation keeps its type
    ]
    assert apply_quotation_marks(article) == 1
    assert article[0].type_label == "opinion" and article[0].attribution is None  # the better other type
    assert [s.type_label for s in article[1:]] == ["quote", "quote"]


def test_interview_answers_keep_their_type() -> None:
    article = [
        _sentence("Q: Do you trust KFOR?", "quote", "Q"),
        _sentence("We do, and I want to be clear about it.", "quote"),
    ]
    assert apply_quotation_marks(article) == 0
    labelled = [
        _sentence("Lind: More than ever.", "quote", "Lind"),
        _sentence("Moss: Not at all.", "quote", "Moss"),
        _sentence("Nobody told us anything.", "quote"),
    ]
    assert apply_quotation_marks(labelled) == 0
    assert labelled[2].type_label == "quote"


def test_a_quotation_over_several_sentences_is_the_closing_speakers() -> None:
    rows = [  # text, source span, speaker resolved sentence by sentence
        ("Kurti spoke.", None, None),
        ('"They want to provoke us.', None, "Albin Kurti"),
        ("Every week there is a new arrest.", None, "Albin Kurti"),
        ('We will not fall into that trap," Vucic added.', "Vucic", "Aleksandar Vucic"),
        ('"A," he said. "B.', "he", "X"),
        ("C.", None, "X"),
        ('"D," he added.', "he", "Y"),
    ]
    assert quotation_runs([text for text, _, _ in rows]) == [(1, 3), (4, 6)]
    article = [_sentence(text, "quote" if source or speaker else "fact", source) for text, source, speaker in rows]
    for result, (_, _, speaker) in zip(article, rows, strict=True):
        if result.attribution:
            result.attribution.speaker = speaker
    name_whole_quotations(article)
    # the run closed by Vucic is his; a run opened by a sourced sentence keeps its speakers
    assert [r.attribution.speaker if r.attribution else None for r in article] == [
        None, "Aleksandar Vucic", "Aleksandar Vucic", "Aleksandar Vucic", "X", "X", "Y"
    ]  # fmt: skip


def test_unlabelled_questions_answered_by_unsourced_quotes_make_a_transcript() -> None:
    article = [
        _sentence("What do you expect from the talks?", "opinion"),
        _sentence("We expect nothing new.", "quote"),
        _sentence("And from Brussels?", "opinion"),
        _sentence("Patience, mostly.", "quote"),
    ]
    assert apply_quotation_marks(article) == 0
    # one rhetorical question is not an interview
    assert apply_quotation_marks(article[:2]) == 1 and article[1].type_label == "opinion"
