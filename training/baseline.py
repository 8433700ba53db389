"""The rule baseline scored beside the model: quotation marks, reporting verbs, opinion cue words.

It is what a newsroom developer could write in an afternoon, and shows what the model adds.
It produces the same SentenceResult shape, with speakers and mentions resolved by the same
rules the model's output goes through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.schema import STANCE_LABELS, TYPE_LABELS, Attribution, SentenceResult, Span, TargetSpec, TargetStance
from models.speakers import MentionFinder, resolve_speakers

CUES = (
    r"according to|said|says|told|added|stated|announced|denied|accused|warned|argued|claimed|"
    r"insisted|urged|called on|wrote|tweeted|posted|declared|stressed|noted|explained|replied|asked"
)
_CUE = re.compile(rf"\b(?:{CUES})\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“«]([^\"”»]{3,})[\"”»]")
_SOURCE_AFTER = re.compile(r"^\s*((?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4}|he|she|they|it)", re.IGNORECASE)
_SOURCE_BEFORE = re.compile(r"((?:[A-Z][\w.'’-]*\s*){1,4}|\b(?:he|she|they|it|officials))\s*$")
OPINION_WORDS = re.compile(
    r"\b(?:must|should|ought|need to|reckless|shameful|disgrace|absurd|dangerous|likely|probably|"
    r"perhaps|clearly|obviously|grave|naive|cynical|failure|betray\w*|deserve\w*|hypocri\w*|"
    r"will have to|it is time|sadly|unfortunately)\b|\?$",
    re.IGNORECASE,
)
FAVOR_WORDS = re.compile(r"\b(?:support\w*|prais\w*|thank\w*|welcom\w*|defend\w*|stand with|backs?)\b", re.I)
AGAINST_WORDS = re.compile(
    r"\b(?:accus\w*|condemn\w*|blam\w*|provoc\w*|criticis\w*|criticiz\w*|"
    r"attack\w*|must stop|reject\w*|illegal|terror\w*|aggress\w*)\b",
    re.I,
)


def _span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,.":
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def _classify(index: int, text: str, target_names: Sequence[str]) -> SentenceResult:
    quoted = _QUOTED.search(text)
    cue = _CUE.search(text)
    if quoted or cue:
        label = "quote"
    elif OPINION_WORDS.search(text):
        label = "opinion"
    else:
        label = "fact"
    attribution = None
    if label == "quote":
        content = source = None
        if quoted:
            content = _span(text, quoted.start(1), quoted.end(1))
        elif cue:
            rest = text[cue.end() :]
            offset = cue.end() + (len(rest) - len(rest.lstrip(" ,")))
            if text[offset : offset + 5].lower() == "that ":
                offset += 5
            content = _span(text, offset, len(text))
        if cue:
            if cue.group().lower() == "according to":
                after = _SOURCE_AFTER.match(text[cue.end() :])
                if after:
                    source = _span(text, cue.end() + after.start(1), cue.end() + after.end(1))
            else:
                before = _SOURCE_BEFORE.search(text[: cue.start()])
                after = _SOURCE_AFTER.match(text[cue.end() :])
                if before:
                    source = _span(text, before.start(1), before.end(1))
                elif after:
                    source = _span(text, cue.end() + after.start(1), cue.end() + after.end(1))
        attribution = Attribution(source, _span(text, cue.start(), cue.end()) if cue else None, content, None, 1.0)
    stance = {}
    for name in target_names:
        favor, against = bool(FAVOR_WORDS.search(text)), bool(AGAINST_WORDS.search(text))
        lab = "against" if against else "favor" if favor else "neutral"
        stance[name] = TargetStance(lab, {s: float(s == lab) for s in STANCE_LABELS}, False)
    return SentenceResult(
        index, text, None, None, label, {t: float(t == label) for t in TYPE_LABELS}, attribution, stance
    )


def classify_article(texts: Sequence[str], targets: Sequence[TargetSpec]) -> list[SentenceResult]:
    names = [t.name for t in targets]
    mentions = MentionFinder(targets)
    results = [_classify(i, text, names) for i, text in enumerate(texts)]
    sources = [r.attribution.source.text if r.attribution and r.attribution.source else None for r in results]
    speakers = resolve_speakers(list(texts), [r.attribution is not None for r in results], sources)
    for result, source, speaker in zip(results, sources, speakers, strict=True):
        if result.attribution:
            result.attribution.speaker = speaker
        flags = mentions.find(result.text, source, speaker)
        for name, stance in result.stance.items():
            stance.mentioned = flags[name]
            # Only a mentioned target can be evaluated by cue words.
            if not stance.mentioned:
                stance.label = "neutral"
                stance.scores = {s: float(s == "neutral") for s in STANCE_LABELS}
    return results
