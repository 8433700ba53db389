"""Sentence splitting with character offsets into the article.

pysbd was chosen after scoring pysbd, syntok and blingfire on the golden cases in
tests/models/segment_golden.jsonl: it keeps multi-sentence quotes with their attribution and
knows news abbreviations (43/44 raw, against 39/44 for the other two). It is slow on very long
strings, so it is fed one line at a time: news lines (headlines, bullets, paragraphs) are
sentence boundaries anyway, and each line is cut first where a quotation closes a sentence
('... the law." Police said', '... he said. "Forty-one ...'), because pysbd pairs quotation
marks across all of its input and one stray mark earlier in a long paragraph makes it split
inside a later multi-sentence quote. Fix-ups follow it, for the cases it misses: a quoted sentence
ending in ?/! followed by its attribution ("Is it over?" asked one resident. / "No!" Osmani
wrote.) stays one sentence, and so do one going on after a clock time ("at 5 p.m. Tuesday") and a
quotation cut before it closes ("A. B," he said.). "Wrote on X." ends a sentence: X is the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import pysbd
from pysbd.lang.english import English

_LINE = re.compile(r"[^\n\r]+")
_BULLET = re.compile(r"^(?:[-*•–—]|\d{1,2}[.)])\s+")
_CLOSING_QUOTE_AFTER_MARK = re.compile(r"[?!][\"'”’]\s*$")
_REPORTING = (
    "said|says|asked|asks|added|adds|wrote|writes|told|tells|insisted|tweeted|posted|warned|"
    "declared|replied|shouted|explained|noted|claimed|argued|stressed|cried|continued"
)
_ATTRIBUTION_START = re.compile(rf"^(?:[a-z]|(?:[A-Z][\w.'’-]*\s+){{1,4}}(?:{_REPORTING})\b|(?:{_REPORTING})\s)")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


class _DottedAbbreviations(English.AbbreviationReplacer):
    """pysbd's abbreviation pass, offered only the abbreviations that begin a word with a period.

    pysbd tries each of its 188 abbreviations that occurs anywhere in the line as a substring
    ("al" in "rally"), building regexes for every word it starts: a fifth of serving time. Each
    of its replacements needs the abbreviation at the start of a word and followed by ".", and
    replacing never creates a ".", so the others cannot change the text. Abbreviations holding
    regex characters ("e.g") are always offered.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        dotted = {word[:k] for word in text.casefold().split() if "." in word for k, c in enumerate(word) if c == "."}
        abbreviations = [a for a, key in _ABBREVIATION_KEYS if key is None or key in dotted]
        full = self.lang
        self.lang = SimpleNamespace(
            Abbreviation=SimpleNamespace(
                ABBREVIATIONS=abbreviations,
                PREPOSITIVE_ABBREVIATIONS=full.Abbreviation.PREPOSITIVE_ABBREVIATIONS,
                NUMBER_ABBREVIATIONS=full.Abbreviation.NUMBER_ABBREVIATIONS,
            )
        )
        try:
            return super().search_for_abbreviations_in_string(text)
        finally:
            self.lang = full


# Each abbreviation with the key it is looked up by; None (always offered) where it holds regex characters.
_ABBREVIATION_KEYS: list[tuple[str, str | None]] = [
    (a, a.strip().casefold() if a.strip().isalpha() else None) for a in English.Abbreviation.ABBREVIATIONS
]


class _English(English):
    AbbreviationReplacer = _DottedAbbreviations


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    segmenter.language_module = _English
    return segmenter


def _pysbd_spans(line: str) -> list[tuple[int, int]]:
    """pysbd's sentences located in the line. pysbd's own `char_span` mode compiles one regex per
    sentence (a third of its time); a forward `str.find` gives the same spans for the same sentences."""
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in _segmenter().processor(line).process():
        start = line.find(sentence, position)
        if start < 0:  # not a substring of the line: pysbd's char_span mode drops these too
            continue
        position = start + len(sentence)
        spans.append((start, position))
    return spans


_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.m\.$", re.IGNORECASE)
_AFTER_CLOCK_TIME = re.compile(
    r"^(?:[a-z(,]|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|GMT|UTC|CET|CEST|ET|EST|EDT)\b"
    r"|[A-Z][\w'’-]+\s+time\b)"  # "at 3 p.m. Brussels time"
)


_ABBREVIATION_BEFORE_NUMBER = re.compile(r"\b(?:approx|ca|vs|est|nos?|art|para|ch|fig|pp?)\.$", re.IGNORECASE)


_CLOSED_BEFORE_ATTRIBUTION = re.compile(r"[,?!][\"”]\s")


def _open_quote(text: str) -> bool:
    """A quotation opened in the text and not closed: an odd count of straight marks, or more
    curly openings than closings."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _continues(previous: str, piece: str) -> bool:
    """Whether pysbd cut a sentence that goes on: a quoted question or exclamation before its
    attribution ("Is it over?" asked one resident.), or a clock time ("at 5 p.m. Tuesday")."""
    if _CLOSING_QUOTE_AFTER_MARK.search(previous) and _ATTRIBUTION_START.match(piece):
        return True
    if _open_quote(previous) and _CLOSED_BEFORE_ATTRIBUTION.search(piece):
        return True  # '"Forty-one people. Not one was convicted," he said.': the quote goes on
    if _ABBREVIATION_BEFORE_NUMBER.search(previous.rstrip()) and piece[:1].isdigit():
        return True  # "approx. 1.6 million", "vs. 2019"
    return bool(_CLOCK_TIME.search(previous.rstrip()) and _AFTER_CLOCK_TIME.match(piece))


def _line_pieces(line: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for start, end in _pysbd_spans(line):
        if pieces and _continues(line[pieces[-1][0] : pieces[-1][1]], line[start:end].lstrip()):
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return pieces


MAX_PIECE_CHARS = 2_000
_PIECE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+")


def _pieces(line: str) -> list[tuple[int, str]]:
    """Cut very long lines before pysbd, whose time grows quadratically with line length:
    at the last sentence-end-like break before the limit, else at white space."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(line) - start > MAX_PIECE_CHARS:
        window = line[start : start + MAX_PIECE_CHARS]
        breaks = [m.end() for m in _PIECE_BREAK.finditer(window)]
        cut = breaks[-1] if breaks else window.rfind(" ") + 1 or MAX_PIECE_CHARS
        pieces.append((start, line[start : start + cut]))
        start += cut
    pieces.append((start, line[start:]))
    return pieces


# A quoted sentence closed by its full stop ('... the law." KFOR said', '... the law." "Every ...') or
# a quoted question before the next quote ('"Why?" "Because."'): a boundary whatever the quotation
# marks before it, so pysbd, which counts marks across its whole input, is not fed both sides.
_QUOTE_CLOSES_SENTENCE = re.compile(
    r"(?:\.[\"”]\s+(?=[\"“A-Z])|[?!][\"”]\s+(?=[\"“])"
    # a sentence that ends before an opening quote ('... he said. "Forty-one people. Not one ..."')
    r"|(?<=[a-z0-9]{2}[.?!])\s+(?=[\"“]\S)"
    # "wrote on X." ends the sentence: X is the network, not an initial
    r"|(?<=\bon X\.)\s+(?=[\"“A-Z]))"
)


def _quote_chunks(line: str) -> list[tuple[int, str]]:
    chunks: list[tuple[int, str]] = []
    start = 0
    for match in _QUOTE_CLOSES_SENTENCE.finditer(line):
        chunks.append((start, line[start : match.end()]))
        start = match.end()
    chunks.append((start, line[start:]))
    return chunks


def split_sentences(text: str) -> list[Sentence]:
    """Split an article into sentences; `text[s.start:s.end] == s.text` for every sentence.

    Leading bullet markers and surrounding white space are left outside the sentence.
    """
    sentences: list[Sentence] = []
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        if not line.strip():
            continue
        for offset, piece in _quote_chunks(line):
            for inner, chunk in _pieces(piece):
                sentences.extend(_chunk_sentences(chunk, line_match.start() + offset + inner))
    return sentences


def _chunk_sentences(line: str, base: int) -> list[Sentence]:
    sentences: list[Sentence] = []
    if line.strip():
        for start, end in _line_pieces(line):
            piece = line[start:end]
            stripped_left = len(piece) - len(piece.lstrip())
            start += stripped_left
            piece = piece.strip()
            bullet = _BULLET.match(piece)
            if bullet and len(piece) > bullet.end():
                start += bullet.end()
                piece = piece[bullet.end() :]
            if piece:
                sentences.append(Sentence(piece, base + start, base + start + len(piece)))
    return sentences
