import numpy as np
import pytest
from transformers import AutoTokenizer

from models.encoder import packaged_base_path
from models.schema import SPAN_FIELDS, TAG_LABELS
from models.spans import IGNORE, encode, spans_to_tags, tags_to_spans, tidy_source


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(str(packaged_base_path()))


def one_hot(tags: list[int]) -> np.ndarray:
    probs = np.zeros((len(tags), len(TAG_LABELS)), dtype=np.float32)
    for i, tag in enumerate(tags):
        probs[i, tag if tag != IGNORE else 0] = 1.0
    return probs


CASES = [
    (
        '"Pristina must de-escalate," NATO chief Jens Stoltenberg said.',
        {"source": (29, 56), "cue": (57, 61), "content": (1, 26)},
    ),
    (
        "“Vučić has crossed a line,” Kosovo’s President Vjosa Osmani wrote.",
        {"source": (28, 59), "cue": (60, 65), "content": (1, 25)},
    ),
    ("According to the police, 12 people were arrested.", {"source": (13, 23), "cue": (0, 12), "content": (25, 48)}),
]


@pytest.mark.parametrize(("text", "spans"), CASES)
def test_spans_survive_the_round_trip(tokenizer, text: str, spans: dict) -> None:
    encoded = encode(tokenizer, [text], ["The previous sentence."], 128, 16)[0]
    tags = spans_to_tags(encoded, spans)
    decoded = tags_to_spans(text, encoded, one_hot(tags))
    assert {k: (v[0], v[1]) for k, v in decoded.items() if v} == spans


def test_decoded_spans_never_overlap_when_kinds_split_a_word(tokenizer) -> None:
    text = '"Pristina must de-escalate," NATO chief Jens Stoltenberg said.'
    encoded = encode(tokenizer, [text], [""], 128, 0)[0]
    pieces = [i for i, (a, b) in enumerate(encoded.offsets) if 1 <= a < b <= 9]  # sub-words of "Pristina"
    assert len(pieces) >= 2
    tags = [0] * len(encoded.input_ids)
    tags[pieces[0]] = TAG_LABELS.index("B-source")
    tags[pieces[-1]] = TAG_LABELS.index("I-cue")
    decoded = tags_to_spans(text, encoded, one_hot(tags))
    assert decoded["source"] is not None and decoded["source"][:2] == (1, 9)
    assert decoded["cue"] is None  # the cue's only candidate lies inside the source's word


def test_context_tokens_are_never_tagged(tokenizer) -> None:
    text = '"No," he said.'
    encoded = encode(tokenizer, [text], ["Kurti spoke in Pristina on Monday."], 128, 48)[0]
    tags = spans_to_tags(encoded, {"source": (6, 8), "cue": (9, 13), "content": (1, 3)})
    assert 0 in encoded.sentence_mask  # the context segment is there
    for tag, in_sentence in zip(tags, encoded.sentence_mask, strict=True):
        assert (tag == IGNORE) == (not in_sentence)


def test_truncated_sentence_keeps_true_offsets(tokenizer) -> None:
    text = "Officials said " + "very " * 300 + "long."
    encoded = encode(tokenizer, [text], [""], 64, 0)[0]
    assert len(encoded.input_ids) == 64
    tags = spans_to_tags(encoded, {"source": (0, 9), "cue": (10, 14), "content": (len(text) - 5, len(text) - 1)})
    decoded = tags_to_spans(text, encoded, one_hot(tags))
    assert decoded["source"][:2] == (0, 9)
    assert decoded["cue"][:2] == (10, 14)
    assert decoded["content"] is None  # beyond the window: not found rather than misplaced


def test_content_trimming_drops_quotes_and_trailing_punctuation(tokenizer) -> None:
    text = '"We stay." she said.'
    encoded = encode(tokenizer, [text], [""], 128, 0)[0]
    tags = [TAG_LABELS.index("I-content") if m else IGNORE for m in encoded.sentence_mask]
    first = encoded.sentence_mask.index(1)
    tags[first] = TAG_LABELS.index("B-content")
    decoded = tags_to_spans(text, encoded, one_hot(tags))
    start, end, _ = decoded["content"]
    # the closing mark stays inside, so its opening partner does too
    assert text[start:end] == '"We stay." she said'
    assert decoded["source"] is None and decoded["cue"] is None
    assert set(decoded) == set(SPAN_FIELDS)


def tag_words(tokenizer, text: str, spans: dict[str, tuple[int, int]]) -> dict[str, str | None]:
    """Tag the tokens inside each character span (as a tagger that stopped there would) and
    decode: the text of each decoded span."""
    encoded = encode(tokenizer, [text], [""], 128, 0)[0]
    decoded = tags_to_spans(text, encoded, one_hot(spans_to_tags(encoded, spans)))
    return {k: (text[v[0] : v[1]] if v else None) for k, v in decoded.items()}


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        # The guide's cue is the whole verb group, auxiliaries included.
        ('"No," Kurti has repeatedly said.', "said", "has repeatedly said"),
        ('"No," Kurti has said.', "has", "has said"),
        ("Kurti has accused Belgrade of lying.", "accused", "has accused"),
        ('"No," Kurti told a rally.', "told a", "told"),
        ("Kurti said: no.", "said:", "said"),
        ("Petkovic sharply condemned the arrests.", "sharply", "sharply condemned"),
        ('"No," Kurti said in reply.', "said", "said"),
    ],
)
def test_cues_are_whole_verb_groups(tokenizer, text: str, tagged: str, expected: str) -> None:
    start = text.index(tagged)
    assert tag_words(tokenizer, text, {"cue": (start, start + len(tagged))})["cue"] == expected


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        ("Kurti was praised, said the U.S.", ".S", "the U.S."),
        ("Hungary's Viktor Orban said no.", "s Viktor Orban", "Hungary's Viktor Orban"),
        ("Asked about it, said the interior ministry.", "the interior ministry.", "the interior ministry"),
        ("Nothing changed, said NATO, adding little.", "NATO,", "NATO"),
        ("As one EU diplomat put it, nothing changed.", "EU diplomat", "EU diplomat"),
        ("Across the bridge, in the north, Dragana, 61, said no.", "in the north, Dragana, 61", "Dragana, 61"),
        (
            "Utility Elektroprivreda Srbije (EPS) said no.",
            "Utility Elektroprivreda Srbije (EPS",
            "Utility Elektroprivreda Srbije (EPS)",
        ),
    ],
)
def test_sources_are_whole_words_without_sentence_punctuation(tokenizer, text: str, tagged: str, expected: str) -> None:
    start = text.index(tagged)
    assert tag_words(tokenizer, text, {"source": (start, start + len(tagged))})["source"] == expected


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        (
            'Svecla wrote that "illegal structures" would go.',
            'illegal structures" would go',
            '"illegal structures" would go',
        ),
        ('He called it a "monstrous lie".', 'it a "monstrous lie', 'it a "monstrous lie"'),
        ("He called it a “monstrous lie”.", "it a “monstrous lie”.", "it a “monstrous lie”"),
        ('"We stay," he said.', '"We stay,"', "We stay"),
        # cut off inside one quotation: the whole quotation
        ('Asked again, he said: "Not until they are released."', "released", "Not until they are released"),
    ],
)
def test_content_keeps_both_marks_of_an_inner_quotation(tokenizer, text: str, tagged: str, expected: str) -> None:
    start = text.index(tagged)
    assert tag_words(tokenizer, text, {"content": (start, start + len(tagged))})["content"] == expected


def test_content_runs_split_by_a_word_the_tagger_doubted_are_one_content(tokenizer) -> None:
    text = "She called on the EU states that recognise Kosovo to speak up."
    first = (text.index("the EU"), text.index(" that"))
    second = (text.index("recognise"), text.index("."))
    encoded = encode(tokenizer, [text], [""], 128, 0)[0]
    tags = spans_to_tags(encoded, {"content": first})
    for i, tag in enumerate(spans_to_tags(encoded, {"content": second})):
        if tag != TAG_LABELS.index("O") and tag != IGNORE:
            tags[i] = TAG_LABELS.index("I-content")
    start, end, _ = tags_to_spans(text, encoded, one_hot(tags))["content"]
    assert text[start:end] == "the EU states that recognise Kosovo to speak up"
    # a gap wider than a couple of tokens keeps the runs apart
    far = "The EU said it hoped, after long and very difficult weeks of talks, for calm."
    encoded = encode(tokenizer, [far], [""], 128, 0)[0]
    tags = spans_to_tags(encoded, {"content": (far.index("it hoped"), far.index(","))})
    for i, tag in enumerate(spans_to_tags(encoded, {"content": (far.index("for calm"), far.index("."))})):
        if tag != TAG_LABELS.index("O") and tag != IGNORE:
            tags[i] = tag
    start, end, _ = tags_to_spans(far, encoded, one_hot(tags))["content"]
    assert far[start:end] in {"it hoped", "for calm"}


@pytest.mark.parametrize(
    ("sentence", "tagged", "source"),
    [
        ("KEK, the utility that runs both plants, said", "KEK, the utility that runs", "KEK, the utility"),
        ("According to two officials who have seen it, the", "two officials who", "two officials"),
        ("Todorovic, at a counting centre, says", "Todorovic, at", "Todorovic"),
        (
            "Milos Ilic, a driver from Kraljevo hauling tiles, said",
            "Milos Ilic, a driver from Kraljevo hauling",
            "Milos Ilic, a driver from Kraljevo",
        ),
        ("A KFOR officer at the crossing said", "A KFOR officer at the crossing", "A KFOR officer at the crossing"),
        ("The alliance insists its role is unchanged.", "The", "The alliance"),
        ("It quoted her as saying", "her", "her"),  # a pronoun, not a determiner
        ("In Suva Reka, Arsim Krasniqi said", "Suva Reka, Arsim Krasniqi", "Arsim Krasniqi"),
    ],
)
def test_a_source_is_trimmed_to_the_noun_phrase_the_guide_names(sentence: str, tagged: str, source: str) -> None:
    start = sentence.index(tagged)
    got = tidy_source(sentence, start, start + len(tagged))
    assert sentence[got[0] : got[1]] == source
