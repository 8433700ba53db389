"""Quotation marks across sentences: what the article's punctuation says about a sentence's type.

The encoder reads one sentence at a time, so two things only the article can tell it:

- Wire copy runs a long quote over several sentences and paragraphs, closing the marks only at
  the end ("They want to provoke us. / Every week there is a new arrest. / We will not fall into
  that trap," he added.). A sentence with no marks of its own that starts inside an open quotation
  is a bare quoted continuation: a `quote`, source and cue null, as the guide says.
- Outside a transcript, a sentence with no marks, no source and no cue cannot be a quote: nothing
  in the article says who speaks. The model calls some first-person or emphatic op-ed sentences
  quotes ("Our community has argued for this for 25 years"); they are the author's, so they take
  the better of the model's other two types.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from models.schema import Attribution, SentenceResult, Span
from models.speakers import QUESTION_LABEL

_MARK = re.compile('["“”]')
# A straight mark after one of these (or at the start) opens a quotation; anywhere else it closes one.
_OPENING_CONTEXT = set("([{—–-/‘") | {""}
# A forgotten closing mark must not turn the rest of the article into one quote.
MAX_OPEN_SENTENCES = 6


def _open_after(text: str, is_open: bool) -> bool:
    """Whether a quotation is still open at the end of `text`, given whether one was at its start."""
    for match in _MARK.finditer(text):
        mark, at = match.group(), match.start()
        if mark == "“":
            is_open = True
        elif mark == "”":
            is_open = False
        else:
            before = text[at - 1] if at else ""
            is_open = before.isspace() or before in _OPENING_CONTEXT
    return is_open


def inside_quotation(texts: Sequence[str]) -> list[bool]:
    """Per sentence: it has no quotation marks and starts inside a quotation an earlier sentence opened."""
    inside: list[bool] = []
    is_open = False
    run = 0
    for text in texts:
        has_marks = _MARK.search(text) is not None
        within = is_open and not has_marks and run < MAX_OPEN_SENTENCES
        inside.append(within)
        run = run + 1 if within else 0
        is_open = _open_after(text, is_open) if has_marks else within
    return inside


def quotation_runs(texts: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) indices of the quotations that run over several sentences: opened in `first`
    and left open, closed in `last`."""
    inside = inside_quotation(texts)
    runs: list[tuple[int, int]] = []
    is_open, opened = False, 0
    for index, (text, within) in enumerate(zip(texts, inside, strict=True)):
        if within:
            continue
        if is_open and _MARK.search(text) and not _open_after(text, True) and index - opened <= MAX_OPEN_SENTENCES:
            runs.append((opened, index))
        was_open = is_open
        is_open = _open_after(text, is_open)
        if is_open and (not was_open or _MARK.search(text)):
            opened = index
    return runs


def name_whole_quotations(results: Sequence[SentenceResult]) -> None:
    """A quotation that runs over several sentences and closes with its attribution ('"They want
    to provoke us. / Every week ... / We will not fall into that trap," Vucic added.') is the
    closing speaker's from its first sentence on, if the sentences before have no source of their
    own. Run after speakers are resolved; changes them in place."""
    for first, last in quotation_runs([r.text for r in results]):
        closing = results[last].attribution
        if closing is None or closing.source is None or closing.speaker is None:
            continue
        for result in results[first:last]:
            attribution = result.attribution
            if result.type_label != "quote" or attribution is None or attribution.source is not None:
                break
            attribution.speaker = closing.speaker


def _unsourced(result: SentenceResult) -> bool:
    attribution = result.attribution
    return result.type_label == "quote" and attribution is not None and attribution.source is None


def is_transcript(results: Sequence[SentenceResult]) -> bool:
    """An interview: a question label ("Q:"), two answers labelled with their speaker, or two
    unlabelled questions each answered by an unsourced quote (questions set in bold on the page
    and read back as plain lines)."""
    if any(QUESTION_LABEL.match(r.text) for r in results):
        return True
    answered = sum(
        question.text.rstrip().rstrip("\"'”’)").endswith("?") and _unsourced(answer)
        for question, answer in itertools.pairwise(results)
    )
    return answered >= 2 or sum(map(is_speaker_label, results)) >= 2


def is_speaker_label(result: SentenceResult) -> bool:
    """A quote whose source opens the sentence and is followed by a colon: "Holmqvist: ..."."""
    attribution = result.attribution
    if result.type_label != "quote" or attribution is None or attribution.source is None:
        return False
    return attribution.source.start <= 1 and result.text[attribution.source.end :].lstrip().startswith(":")


def make_bare_quote(result: SentenceResult) -> None:
    """Relabel a sentence, in place, as a quote whose source and cue the sentence does not give
    (the guide's bare continuation): content is the sentence without its final punctuation."""
    text = result.text.rstrip()
    end = len(text.rstrip(".!?…"))
    result.type_label = "quote"
    result.attribution = Attribution(None, None, Span(0, end, text[:end]), None, result.type_scores.get("quote", 0.0))


def apply_quotation_marks(results: Sequence[SentenceResult]) -> int:
    """Retype, in place, continuations of open quotations and unsourced quotes outside transcripts;
    returns how many sentences changed."""
    inside = inside_quotation([r.text for r in results])
    transcript = is_transcript(results)
    changed = 0
    for result, within in zip(results, inside, strict=True):
        if within:
            if result.type_label != "quote":
                make_bare_quote(result)
                changed += 1
            continue
        attribution = result.attribution
        uncued = attribution is not None and attribution.cue is None
        if _unsourced(result) and uncued and not transcript and not _MARK.search(result.text):
            result.type_label = max(("fact", "opinion"), key=lambda label: result.type_scores.get(label, 0.0))
            result.attribution = None
            changed += 1
    return changed
