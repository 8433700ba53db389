"""Interview transcripts: the sentences of an answer after the speaker's label are quotes too.

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
from models.schema import SentenceResult
from models.speakers import QUESTION_LABEL, TITLE_WORDS

# Label words that are not names ("HANNA VOGT, ANCHOR:").
ROLE_LABELS = {"q", "question", "anchor", "host", "presenter", "interviewer", "moderator", "reporter", "correspondent"}


def continue_answers(results: Sequence[SentenceResult]) -> int:
    """Relabel the unlabelled sentences of transcript answers as quotes, in place; returns how many."""
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
