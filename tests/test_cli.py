import json
from pathlib import Path

import pytest

from sayso.cli import main
from tests.conftest import MINI_CORPUS


def write_rows(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_predict_writes_one_row_per_input_in_order(tiny_model: Path, tmp_path: Path) -> None:
    rows = [
        {"text": '"We will not back down," Albin Kurti said.', "article_id": "a1", "url": "ignored"},
        {"text": '"Never," he added.', "article_id": "a1"},
        {"text": "KFOR troops used tear gas.", "article_id": "a2"},
        {"text": "A lone sentence without an article."},
        {"text": ""},
    ]
    source = write_rows(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(tiny_model), "--input", str(source), "--output", str(output)]) == 0
    out = [json.loads(line) for line in output.read_text().splitlines()]
    assert [o["text"] for o in out] == [r["text"] for r in rows]
    assert [o.get("article_id") for o in out] == ["a1", "a1", "a2", None, None]
    assert [o["index"] for o in out] == [0, 1, 0, 0, 0]
    assert all(o["start"] is None and o["end"] is None for o in out)
    assert "url" not in out[0]
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_predict_uses_sayso_model_dir(tiny_model: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SAYSO_MODEL_DIR", str(tiny_model))
    source = write_rows(tmp_path / "in.jsonl", [{"text": "Serbia beat Spain."}])
    assert main(["predict", "--input", str(source), "--output", str(tmp_path / "o.jsonl")]) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"text": "ok"}\n{"text": 5}\n', "in.jsonl:2: row needs a string `text`"),
        (b'{"text": "ok"}\n\n{"text": "broken"\n', "in.jsonl:3: malformed JSON"),
        (b'{"text": "ok"}\n{"text": "\xff\xfe"}\n', "in.jsonl:2: not valid UTF-8"),
        (b"[1, 2]\n", "in.jsonl:1: row is not a JSON object"),
    ],
)
def test_predict_bad_input_names_file_and_line(
    tiny_model: Path, tmp_path: Path, capsys, content: bytes, message: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    output = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(tiny_model), "--input", str(source), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not output.exists()


def test_predict_without_a_model_says_how_to_build_one(tmp_path: Path, capsys) -> None:
    source = write_rows(tmp_path / "in.jsonl", [{"text": "x"}])
    assert (
        main(
            [
                "predict",
                "--model",
                str(tmp_path / "none"),
                "--input",
                str(source),
                "--output",
                str(tmp_path / "o.jsonl"),
            ]
        )
        == 1
    )
    assert "sayso train" in capsys.readouterr().err


def test_validate_reports_each_bad_file(tmp_path: Path, capsys) -> None:
    bad = write_rows(
        tmp_path / "bad.jsonl",
        [MINI_CORPUS.read_text().splitlines()[0].replace('"Kosovo": "favor"', '"Kosovo": "pro"')],
    )
    assert main(["validate", str(MINI_CORPUS)]) == 0
    assert main(["validate", str(MINI_CORPUS), str(bad)]) == 1
    captured = capsys.readouterr()
    assert "ok (12 sentences, 2 articles)" in captured.out
    assert f"{bad}:1: unknown stance label 'pro'" in captured.err


def test_evaluate_prints_model_and_baseline_and_writes_json_and_pngs(tiny_model: Path, tmp_path: Path, capsys) -> None:
    output = tmp_path / "eval" / "metrics.json"
    assert main(["evaluate", "--model", str(tiny_model), "--data", str(MINI_CORPUS), "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "type_macro_f1" in printed and "rules" in printed
    report = json.loads(output.read_text())
    assert report["sentences"] == 12
    assert set(report["metrics"]["stance"]) == {"Kosovo", "Serbia", "NATO"}
    assert report["baseline"]["type"]["macro_f1"] > 0
    pngs = sorted(p.name for p in output.parent.glob("*.png"))
    assert pngs == [
        "confusion_stance_Kosovo.png",
        "confusion_stance_NATO.png",
        "confusion_stance_Serbia.png",
        "confusion_type.png",
    ]
    assert all((output.parent / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
