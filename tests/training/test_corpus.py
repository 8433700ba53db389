import json
from pathlib import Path

import pytest

from training.corpus import CorpusError, convert_draft, read_records

GOOD = {
    "id": "x-1",
    "article_id": "x",
    "text": '"No," he said.',
    "type": "quote",
    "attribution": {"source": [6, 8], "cue": [9, 13], "content": [1, 3], "speaker": "Ana Vuk"},
    "stance": {"Kosovo": "neutral", "Serbia": "neutral", "NATO": "neutral"},
    "mentioned": {"Kosovo": False, "Serbia": False, "NATO": False},
}


def write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def variant(**changes) -> dict:
    row = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        row[key] = value
    return row


def test_a_good_row_reads(tmp_path: Path) -> None:
    [record] = read_records([write(tmp_path / "a.jsonl", [GOOD])])
    assert (record.source, record.cue, record.content, record.speaker) == ((6, 8), (9, 13), (1, 3), "Ana Vuk")


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ([variant(type="rumour")], 1, "unknown type label 'rumour'"),
        ([variant(stance={"Kosovo": "pro", "Serbia": "neutral", "NATO": "neutral"})], 1, "unknown stance label 'pro'"),
        (
            [variant(stance={"Kosovo": "neutral", "Serbia": "neutral", "NATO": "neutral", "EU": "favor"})],
            1,
            "unknown target",
        ),
        ([variant(attribution={**GOOD["attribution"], "source": [6, 99]})], 1, "outside the text"),
        ([variant(type="fact")], 1, "attribution on a non-quote"),
        ([GOOD, GOOD], 2, "duplicate id 'x-1'"),
        ([GOOD, "{not json"], 2, "malformed JSON"),
        ([variant(mentioned={"Kosovo": "yes", "Serbia": False, "NATO": False})], 1, "must be true or false"),
        (
            [variant(id="a", article_id="a"), variant(id="b", article_id="b"), variant(id="c", article_id="a")],
            3,
            "split",
        ),
    ],
)
def test_bad_rows_name_file_line_and_reason(tmp_path: Path, rows: list, line: int, reason: str) -> None:
    path = write(tmp_path / "bad.jsonl", rows)
    with pytest.raises(CorpusError) as caught:
        read_records([path])
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(path) in str(caught.value)


def test_non_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + '{"text": "Mitrovicë"}'.encode("latin-1") + b"\n")
    with pytest.raises(CorpusError, match=r"latin1\.jsonl:2: not valid UTF-8"):
        read_records([path])


def test_draft_spans_become_offsets(tmp_path: Path) -> None:
    draft = write(
        tmp_path / "d.jsonl",
        [
            {
                "article_id": "d1",
                "text": '"Stop it," said Ana, and Ana left.',
                "type": "quote",
                "source": ["Ana", 1],
                "cue": "said",
                "content": "Stop it",
                "speaker": "Ana",
                "stance": {"Serbia": "against"},
                "mentioned": ["Serbia"],
            }
        ],
    )
    [row] = convert_draft(draft)
    assert row["id"] == "d1-s01"
    assert row["attribution"]["source"] == [25, 28] and row["attribution"]["content"] == [1, 8]
    assert row["stance"] == {"Kosovo": "neutral", "Serbia": "against", "NATO": "neutral"}


def test_draft_spans_match_whole_words_only(tmp_path: Path) -> None:
    text = '"The north is theirs," he said, and then he left.'
    row = {"article_id": "d1", "text": text, "type": "quote", "content": "The north is theirs", "cue": "said"}
    [first, second] = convert_draft(
        write(tmp_path / "d.jsonl", [{**row, "source": "he"}, {**row, "source": ["he", 1]}])
    )
    assert first["attribution"]["source"] == [23, 25]
    assert second["attribution"]["source"] == [text.index(" he left") + 1, text.index(" he left") + 3]


def test_draft_span_not_in_text_is_an_error(tmp_path: Path) -> None:
    draft = write(tmp_path / "d.jsonl", [{"article_id": "d1", "text": "He said no.", "type": "quote", "cue": "told"}])
    with pytest.raises(CorpusError, match=r"'told'.*not in the text"):
        convert_draft(draft)
