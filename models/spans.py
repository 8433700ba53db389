"""Tokenisation with offsets, and BIO tags <-> character spans through the offset mapping.

Training and inference both encode text here, so a sentence is always seen the same way:
the sentence as the first segment, the start of the previous sentence as the second.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from tokenizers import Tokenizer
from transformers import PreTrainedTokenizerBase

from models.schema import SPAN_FIELDS, TAG_LABELS
from models.speakers import LEADING_FUNCTION_WORDS

IGNORE = -100
QUOTE_CHARS = "\"'“”‘’«»„"
TRAILING_PUNCT = ",.;:"
WORD_JOINERS = ".'’&-"  # inside one written word: "U.S.", "Hungary's", "S&P", "pro-Russian"


@dataclass
class Encoded:
    """One encoded sentence: token ids, offsets into the sentence, which tokens are the sentence."""

    input_ids: list[int]
    offsets: list[tuple[int, int]]
    sentence_mask: list[int]  # 1 for tokens of the sentence itself, 0 for specials and context
    target_masks: list[list[int]] = field(default_factory=list)  # per target: 1 on tokens naming it
    targets_named: list[bool] = field(default_factory=list)  # per target: an alias is in the sentence


def _context_prefix(tokenizer: PreTrainedTokenizerBase, context: str, max_tokens: int) -> str:
    if not context or max_tokens <= 0:
        return ""
    enc = tokenizer(
        context, add_special_tokens=False, return_offsets_mapping=True, truncation=True, max_length=max_tokens
    )
    offsets = enc["offset_mapping"]
    return context[: offsets[-1][1]] if offsets else ""


def encode(
    tokenizer: PreTrainedTokenizerBase,
    sentences: Sequence[str],
    contexts: Sequence[str],
    max_length: int,
    context_tokens: int,
) -> list[Encoded]:
    """Encode sentences (with their previous sentence as context); long sentences are truncated,
    and their offsets stay true to the original text."""
    prefixes = [_context_prefix(tokenizer, c, context_tokens) for c in contexts]
    out: list[Encoded | None] = [None] * len(sentences)
    # Straight to the Rust tokenizer in one call per group (with / without a context segment):
    # transformers' per-row conversion to Python lists cost more than the tokenising itself.
    backend = _truncating_backend(tokenizer, max_length)
    for with_context in (False, True):
        rows = [i for i, p in enumerate(prefixes) if bool(p) == with_context]
        if not rows:
            continue
        inputs = [(sentences[i], prefixes[i]) for i in rows] if with_context else [sentences[i] for i in rows]
        for i, enc in zip(rows, backend.encode_batch(inputs), strict=True):
            seq_ids = enc.sequence_ids
            offsets = [o if s == 0 else (0, 0) for o, s in zip(enc.offsets, seq_ids, strict=True)]
            mask = [1 if s == 0 else 0 for s in seq_ids]
            out[i] = Encoded(enc.ids, offsets, mask)
    return [e for e in out if e is not None]


@functools.lru_cache(maxsize=8)
def _truncating_backend(tokenizer: PreTrainedTokenizerBase, max_length: int) -> Tokenizer:
    """A private copy of the fast tokenizer that truncates the sentence (never the context) to
    `max_length`; a copy, so the caller's tokenizer keeps its own settings."""
    backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    backend.no_padding()
    backend.enable_truncation(max_length, strategy="only_first")
    return backend


def span_token_mask(encoded: Encoded, spans: Sequence[tuple[int, int]]) -> list[int]:
    """1 on sentence tokens that overlap any of the character spans."""
    mask = [0] * len(encoded.offsets)
    if not spans:
        return mask
    # The sentence's tokens have non-decreasing offsets: find each span's first token by bisection
    # instead of testing every token against every span (this runs per target on every sentence).
    rows = [i for i, m in enumerate(encoded.sentence_mask) if m]
    ends = [encoded.offsets[i][1] for i in rows]
    for span_start, span_end in spans:
        k = bisect.bisect_right(ends, span_start)
        while k < len(rows) and encoded.offsets[rows[k]][0] < span_end:
            start, end = encoded.offsets[rows[k]]
            if end > start:
                mask[rows[k]] = 1
            k += 1
    return mask


def spans_to_tags(encoded: Encoded, spans: dict[str, tuple[int, int] | None]) -> list[int]:
    """BIO tag ids per token; IGNORE outside the sentence segment. Later kinds win overlaps."""
    tags = [0 if m else IGNORE for m in encoded.sentence_mask]
    for kind in SPAN_FIELDS:
        span = spans.get(kind)
        if not span:
            continue
        begin, inside = TAG_LABELS.index(f"B-{kind}"), TAG_LABELS.index(f"I-{kind}")
        first = True
        for i, ((start, end), m) in enumerate(zip(encoded.offsets, encoded.sentence_mask, strict=True)):
            if m and end > start and start >= span[0] and end <= span[1]:
                tags[i] = begin if first else inside
                first = False
    return tags


def _trim(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Drop white space, and for content the surrounding quotation marks and trailing punctuation."""
    strip = " \t\n"
    if kind == "content":
        strip += QUOTE_CHARS
    if kind in ("content", "cue") or (kind == "source" and text[end - 1 : end] in ",;:"):
        while end > start and text[end - 1] in strip + TRAILING_PUNCT:
            end -= 1
    if kind == "source" and text[end - 1 : end] == "." and not _ABBREVIATION.search(text, start, end):
        end -= 1  # the sentence's full stop, not "U.S." or "Jr."
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    if kind == "content":
        start, end = _balance_marks(text, start, end)
    if kind == "source" and (match := _ADVERBIAL_OPENER.match(text, start, end)):
        start = match.end()  # "in the Serb-majority north, Dragana, 61": the place is not the source
    if kind == "source" and text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
        end += 1  # "Elektroprivreda Srbije (EPS)" keeps its closing bracket
    return start, end


_QUOTATION = re.compile(r'"[^"]+"|“[^”]+”')


def _whole_quotation(text: str, start: int, end: int) -> tuple[int, int]:
    """Content the tagger cut off inside one quotation ('he said: "Not until they are released."'
    -> "released") is the whole quotation: in the corpus no content lies strictly inside one."""
    for match in _QUOTATION.finditer(text):
        inner = _trim(text, match.start(), match.end(), "content")
        if inner[0] <= start and end <= inner[1] and (start, end) != inner:
            return inner
    return start, end


_ADVERBIAL_OPENER = re.compile(r"(?i:in|at|across|on|from|after|during|outside|inside|near)\b[^,\"“”]*,\s*(?=[A-Z])")


def _balance_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Inner quotation marks stay (the guide): content trimmed of its surrounding marks must not
    lose the partner of a mark inside it ("illegal structures" would go -> keep the opening mark,
    called it a "monstrous lie" -> keep the closing one)."""
    content = text[start:end]
    straight_odd = content.count('"') % 2 == 1
    if (straight_odd and text[start - 1 : start] == '"' and content.index('"') > 0) or (
        content.count("”") > content.count("“") and text[start - 1 : start] == "“"
    ):
        return start - 1, end
    if (straight_odd and text[end : end + 1] == '"') or (
        content.count("“") > content.count("”") and text[end : end + 1] == "”"
    ):
        return start, end + 1
    return start, end


def _in_word(char: str) -> bool:
    return char.isalnum() or char in WORD_JOINERS


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word (a sub-word token) to the whole word;
    "U.S." and "Hungary's" are one word each."""
    while start > 0 and _in_word(text[start - 1]) and _in_word(text[start]):
        start -= 1
    while end < len(text) and _in_word(text[end - 1]) and _in_word(text[end]):
        end += 1
    return start, end


_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]\.)+|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St|Gen|Col|Dr|Mr|Mrs|Ms)\.)$")
_AUXILIARY = r"(?:has|have|had|will|would|could|may|might|should|must)"
_ADVERB = r"(?:\w+ly|also|not|never|again|already|since|once|often|long)"
_AUXILIARY_BEFORE = re.compile(rf"\b{_AUXILIARY}(?:\s+{_ADVERB})*\s+$", re.IGNORECASE)
_ENDS_WITH_AUXILIARY = re.compile(rf"\b{_AUXILIARY}(?:\s+{_ADVERB})*$", re.IGNORECASE)
_NEXT_WORD = re.compile(rf"(?:\s+{_ADVERB})*\s+[A-Za-z]+", re.IGNORECASE)
_TRAILING_DETERMINER = re.compile(r"\s+(?:a|an|the|his|her|its|their|this|that)$", re.IGNORECASE)


_ADVERB_ONLY = re.compile(r"(?!(?:reply|apply|supply|rally)$)[a-z]+ly", re.IGNORECASE)


def verb_group(text: str, start: int, end: int) -> tuple[int, int]:
    """The guide's cue is the whole reporting verb group: "has said", "has repeatedly accused".
    Take in an auxiliary just before the span, finish a span that stops on one ("has" ->
    "has called"), and drop a determiner the tagger ran into ("told a" -> "told")."""
    if match := _AUXILIARY_BEFORE.search(text, 0, start):
        start = match.start()
    unfinished = _ENDS_WITH_AUXILIARY.search(text[start:end]) or _ADVERB_ONLY.fullmatch(text[start:end])
    if unfinished and (match := _NEXT_WORD.match(text, end)):
        end = match.end()  # "has" -> "has called", "sharply" -> "sharply condemned"
    if match := _TRAILING_DETERMINER.search(text, start, end):
        end = match.start()
    return start, end


_NAME_WORD = re.compile(r"\s([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’.-]*)")
_WORD_BEFORE = re.compile(r"([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’.-]*|[Tt]he)\s$")


def complete_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a source span over capitalised words it cut off ("Bojan" -> "Bojan Petrusic",
    "government" -> "The Serbian government"): the tagger often stops inside a name."""
    while match := _NAME_WORD.match(text, end):
        end = match.end()
    while start > 0 and (match := _WORD_BEFORE.search(text, 0, start)):
        if match.group(1).lower() in LEADING_FUNCTION_WORDS:
            break  # "As one senior EU diplomat put it": a capital that only starts the sentence
        start = match.start()
        if match.group(1).lower() == "the":
            break
    return start, end


# The guide's source stops before a relative clause, a trailing phrase of place or a participle
# after a name ("KEDS, the company [that distributes]", "two officials [who]", "Todorovic[, at]",
# "a driver from Kraljevo [hauling]"; "an officer at the crossing" keeps its noun in -ing).
_SOURCE_TAIL = re.compile(
    r"(?:\s+(?:that|who|whose|which)\b.*|,\s+(?:at|in|on)(?:\s+the)?|(?<=\s[A-ZÀ-ÖØ-ÞČĆŠŽĐ])[\w'’.-]*\s+[a-z]+ing)$"
)
_DETERMINER_ONLY = re.compile(r"(?i:the|its|their|this)$")  # "her", "his", "that" may be pronouns
# "In Suva Reka, Krasniqi's nephew": the place a sentence opens with is not part of the source.
_PLACE_BEFORE = re.compile(r"\b(?i:in|at|from|near|across)\s+$")


def tidy_source(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a source span to the guide's noun phrase: no relative clause or place after it, no
    opening place before it; a lone determiner takes its noun ("The" -> "The alliance")."""
    if _DETERMINER_ONLY.fullmatch(text[start:end]) and (match := re.compile(r"\s+[a-z][\w-]*").match(text, end)):
        end = match.end()
    if (tail := _SOURCE_TAIL.search(text, start, end)) and tail.start() > start:
        end = tail.start() if tail.group().startswith((" ", ",")) else text.rindex(" ", start, end)
    comma = text.find(", ", start, end)
    if comma > 0 and _PLACE_BEFORE.search(text, 0, start):
        start = comma + 2
    return start, end


def tags_to_spans(text: str, encoded: Encoded, probs: np.ndarray) -> dict[str, tuple[int, int, float] | None]:
    """Best character span per kind from tag probabilities [tokens, tags]: a run of B/I tokens
    (argmax), scored by its mean B+I probability; None where the kind never wins a token. Spans
    never overlap: widening to whole words can make two kinds claim one word, and the kind
    decoded first keeps it."""
    best = probs.argmax(-1)
    result: dict[str, tuple[int, int, float] | None] = {}
    taken: list[tuple[int, int]] = []
    for kind in SPAN_FIELDS:
        begin, inside = TAG_LABELS.index(f"B-{kind}"), TAG_LABELS.index(f"I-{kind}")
        runs: list[list[int]] = []
        run: list[int] = []
        for i, m in enumerate([*encoded.sentence_mask, 0]):
            is_token = m and i < len(best) and encoded.offsets[i][1] > encoded.offsets[i][0]
            tag = best[i] if is_token else 0
            if is_token and tag == begin and run:
                runs.append(run)
                run = [i]
            elif is_token and tag in (begin, inside):
                run.append(i)
            elif run:
                runs.append(run)
                run = []
        if kind == "content":
            runs = _bridge_gaps(runs, best)
        candidates = [_run_span(r, encoded, probs, begin, inside) for r in runs]
        result[kind] = None
        for start, end, score in sorted(candidates, key=lambda c: -c[2]):
            start, end = _word_bounds(text, start, end)
            if kind == "source":
                start, end = tidy_source(text, *complete_name(text, start, end))
            start, end = _trim(text, start, end, kind)
            if kind == "cue":
                start, end = verb_group(text, start, end)
            if kind == "content" and end > start:
                start, end = _whole_quotation(text, start, end)
            if end > start and all(end <= a or start >= b for a, b in taken):
                result[kind] = (start, end, score)
                taken.append((start, end))
                break
    return result


MAX_CONTENT_GAP = 2


def _bridge_gaps(runs: list[list[int]], best: np.ndarray) -> list[list[int]]:
    """Join content runs that only a word or two the tagger left untagged separate ("She called on
    [the] EU member states [that] recognise Kosovo to speak up"): the guide's content is one stretch
    of the sentence, and doubt over one word inside it should not cut it short."""
    outside = TAG_LABELS.index("O")
    joined: list[list[int]] = []
    for run in runs:
        if joined:
            gap = range(joined[-1][-1] + 1, run[0])
            if len(gap) <= MAX_CONTENT_GAP and all(best[i] == outside for i in gap):
                joined[-1] = [*joined[-1], *gap, *run]
                continue
        joined.append(run)
    return joined


def _run_span(run: list[int], encoded: Encoded, probs: np.ndarray, begin: int, inside: int) -> tuple[int, int, float]:
    score = float(sum(probs[i, begin] + probs[i, inside] for i in run)) / len(run)
    return encoded.offsets[run[0]][0], encoded.offsets[run[-1]][1], score
