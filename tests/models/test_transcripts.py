from models.schema import Attribution, SentenceResult, Span
from models.transcripts import continue_answers


def _sentence(text: str, type_label: str, label: str | None = None) -> SentenceResult:
    """A model result; a quote's source is the label, or else wherever `label` occurs in the text."""
    attribution = None
    if type_label == "quote":
        start = text.find(label) if label else -1
        source = Span(start, start + len(label), label) if label and start >= 0 else None
        attribution = Attribution(source, None, None, None, 0.9)
    return SentenceResult(0, text, None, None, type_label, {"fact": 0.2, "quote": 0.3, "opinion": 0.5}, attribution)


def test_answer_sentences_after_a_label_become_quotes_until_the_editor_speaks_again() -> None:
    article = [
        _sentence("Q: Is the force still needed?", "quote", "Q"),
        _sentence("Lind: More than ever.", "quote", "Lind"),
        _sentence("The force is the only institution both communities talk to.", "opinion"),
        _sentence("Q: And next winter?", "quote", "Q"),
        _sentence("Can the roads stay open?", "opinion"),  # the question goes on: the asker's quote
        _sentence("Lind: Calm, yes.", "quote", "Lind"),
        _sentence("Settled, no.", "opinion"),
        _sentence("Lind's candour is rare among retired officers.", "opinion"),
        _sentence("It deserves a wider audience.", "opinion"),
    ]
    assert continue_answers(article) == 3
    assert [s.type_label for s in article] == [
        "quote", "quote", "quote", "quote", "quote", "quote", "quote", "opinion", "opinion"
    ]  # fmt: skip
    continued = article[2].attribution
    assert continued is not None and continued.source is None and continued.cue is None
    assert continued.content == Span(0, 58, "The force is the only institution both communities talk to")


def test_one_labelled_quote_is_not_a_transcript() -> None:
    article = [
        _sentence("Kurti: We will not back down", "quote", "Kurti"),
        _sentence("The prime minister spoke after the vote.", "fact"),
    ]
    assert continue_answers(article) == 0
    assert article[1].type_label == "fact" and article[1].attribution is None


def test_a_quote_with_its_own_source_ends_the_answer() -> None:
    article = [
        _sentence("Lind: More than ever.", "quote", "Lind"),
        _sentence("Moss: Not at all.", "quote", "Moss"),
        _sentence('"We stay," the commander said.', "quote", "the commander"),
        _sentence("The talks resume on Monday.", "fact"),
    ]
    assert continue_answers(article) == 0


def test_unlabelled_answers_between_questions_are_quotes_and_the_closing_remarks_are_left_alone() -> None:
    article = [
        _sentence("Reinholt advised the EU office for four years.", "fact"),
        _sentence("Q: Is the dialogue alive?", "quote"),
        _sentence("It is alive, but only just.", "opinion"),
        _sentence("Both sides still show up.", "fact"),
        _sentence("Q: And Kurti?", "quote"),
        _sentence("He is sincere.", "opinion"),
        _sentence("But sincerity is not strategy.", "opinion"),
        _sentence("The interview took place in Berlin.", "fact"),
    ]
    assert continue_answers(article) == 3
    assert [s.type_label for s in article[1:]] == ["quote"] * 5 + ["opinion", "fact"]
    assert article[0].type_label == "fact"  # the introduction before the first question


def test_a_closing_line_after_the_last_label_that_asks_nothing_ends_the_interview() -> None:
    article = [
        _sentence("REPORTER: Is the north calm?", "quote"),
        _sentence("It is calm for now.", "opinion"),
        _sentence("REPORTER: Thank you, Mr Petkovic.", "fact"),
        _sentence("Editor's note: the interview was conducted on Monday.", "fact"),
    ]
    continue_answers(article)
    assert [s.type_label for s in article] == ["quote", "quote", "fact", "fact"]


def test_a_label_the_tagger_took_into_the_content_is_cut_off() -> None:
    question = _sentence("REPORTER: What about Banjska?", "quote")
    question.attribution.content = Span(0, 28, "REPORTER: What about Banjska")  # type: ignore[union-attr]
    plain = _sentence("Banjska was a tragedy, he said.", "quote", "he")
    plain.attribution.content = Span(0, 21, "Banjska was a tragedy")  # type: ignore[union-attr]
    continue_answers([question, plain])
    assert question.attribution.content == Span(10, 28, "What about Banjska")  # type: ignore[union-attr]
    assert plain.attribution.content == Span(0, 21, "Banjska was a tragedy")  # type: ignore[union-attr]


def test_the_answer_after_a_last_question_that_goes_on_past_its_label_is_a_quote() -> None:
    article = [
        _sentence("Q: How sure are you?", "quote", "Q"),
        _sentence("Sure enough to say it on air.", "opinion"),
        _sentence("Q: Washington has been critical of the pace.", "quote", "Q"),
        _sentence("Do you share that criticism?", "opinion"),
        _sentence("I share the goal, not the timetable.", "opinion"),
        _sentence("The interview has been edited for length.", "fact"),
    ]
    assert continue_answers(article) == 3
    assert [s.type_label for s in article] == ["quote", "quote", "quote", "quote", "quote", "fact"]
