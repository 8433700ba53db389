"""Interview transcripts: the sentences of an answer after the speaker's label or after a "Q:"
question are quotes too.

The encoder reads one sentence at a time, so "The force is the only institution in the north
that both communities still talk to." cannot tell it is the second sentence of an answer that
began "Holmqvist: More than ever...". The article can: in a transcript (two or more labelled
quotes), a sentence after a label is the labelled speaker's until the next label, a quote with
a source of its own, or a sentence naming one of the labelled speakers ("Holmqvist's candour is
rare", the editor's voice again). The guide labels such sentences `quote` with source and cue
null; the speaker is then resolved like any bare continuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.quotations import is_speaker_label, make_bare_quote
from models.schema import SentenceResult, Span
from models.speakers import INTERVIEWER_WORDS, QUESTION_LABEL, TITLE_WORDS

# Label words that are not names ("HANNA VOGT, ANCHOR:").
ROLE_LABELS = {"q", "question"} | INTERVIEWER_WORDS


def continue_answers(results: Sequence[SentenceResult]) -> int:
    """Relabel the unlabelled sentences of transcript answers as quotes, in place; returns how many."""
    changed = _answer_questions(results) + _continue_labelled_answers(results)
    _drop_labels_from_content(results)
    return changed


# "REPORTER: ", "PETKOVIC: ", "Q: ": a transcript's label before what is said
_LABEL = re.compile(r"^(?:Q|Question|[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3})\s*:\s+")


def _drop_labels_from_content(results: Sequence[SentenceResult]) -> None:
    """Content is what is said, so a label the tagger took into it is cut off (the guide's content
    of "REPORTER: What about Banjska?" is "What about Banjska?")."""
    for result in results:
        attribution = result.attribution
        content = attribution.content if attribution else None
        label = _LABEL.match(result.text)
        if attribution is None or content is None or label is None or content.start >= label.end():
            continue
        if content.end > label.end():
            attribution.content = Span(label.end(), content.end, result.text[label.end() : content.end])


def _answer_questions(results: Sequence[SentenceResult]) -> int:
    """In a "Q:" transcript, every sentence between the first and the last question is part of an
    answer, and so is the sentence right after the last question; what follows that may be the
    editor's closing remarks, left to the model. (On the training articles all 156 sentences between
    the first and last question are quotes.)"""
    questions = [i for i, r in enumerate(results) if QUESTION_LABEL.match(r.text)]
    if not questions:
        return 0
    changed = 0
    # The last question may go on past its label ("Q: Washington has been critical." / "Do you share
    # that criticism?"); the sentence after it answers only if it asked something ("REPORTER: Thank you.").
    asked = questions[-1]
    while asked + 1 < len(results) and results[asked + 1].text.rstrip().endswith("?"):
        asked += 1
    last = asked + (2 if results[asked].text.rstrip().endswith("?") else 1)
    for index in range(questions[0] + 1, min(last, len(results))):
        result = results[index]
        if index not in questions and result.type_label != "quote":
            make_bare_quote(result)
            changed += 1
    return changed


def _continue_labelled_answers(results: Sequence[SentenceResult]) -> int:
    labelled = [is_speaker_label(r) for r in results]
    labels = [r for r, is_label in zip(results, labelled, strict=True) if is_label]
    if len(labels) < 2:
        return 0
    label_texts = [r.attribution.source.text for r in labels if r.attribution and r.attribution.source]
    names = (
        {word.lower() for text in label_texts for word in re.findall(r"[\w'’-]{3,}", text) if word[:1].isupper()}
        - ROLE_LABELS
        - TITLE_WORDS
    )
    naming = re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(names)))})\b", re.IGNORECASE) if names else None
    changed = 0
    answering = False
    for result, is_label in zip(results, labelled, strict=True):
        if is_label:
            answering = not QUESTION_LABEL.match(result.text)
            continue
        if result.type_label == "quote":
            # a bare continuation keeps the answer going; a quote with its own source ends it
            answering = answering and result.attribution is not None and result.attribution.source is None
            continue
        if answering and naming is not None and naming.search(result.text):
            answering = False
        if answering:
            make_bare_quote(result)
            changed += 1
    return changed
