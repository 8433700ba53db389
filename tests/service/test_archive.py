"""`sayso score` (service/archive.py): output shape, bad input, resume and a real kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from models.segment import split_sentences
from sayso.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "training" / "data" / "train" / "tr1.jsonl"


def make_articles(n: int) -> list[dict[str, Any]]:
    """n articles from corpus sentences (cycled, unique ids), with columns to carry through."""
    by_article: dict[str, list[str]] = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_article.setdefault(row["article_id"], []).append(row["text"])
    texts = [" ".join(sentences[:6]) for sentences in by_article.values()]
    return [
        {"id": f"a{i:03d}", "text": texts[i % len(texts)], "outlet": f"outlet-{i % 3}", "views": i * 10}
        for i in range(n)
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def score(*args: Any) -> int:
    return main(["score", *map(str, args)])


def output_set(out: Path) -> Path:
    sets = [p for p in out.iterdir() if p.is_dir()]
    assert len(sets) == 1, sets
    return sets[0]


def read_rows(set_dir: Path) -> list[dict[str, Any]]:
    files = sorted((set_dir / "sentences").iterdir())
    assert not [f for f in files if ".tmp-" in f.name]
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def test_rows_columns_and_carried_columns(tiny_model: Path, tmp_path: Path) -> None:
    articles = make_articles(5)
    source = write_jsonl(tmp_path / "in.jsonl", articles)
    out = tmp_path / "out"
    assert score(source, "--output", out, "--model", tiny_model, "--shard-size", 2, "--threads", 1) == 0
    set_dir = output_set(out)
    shard_files = sorted(p.name for p in (set_dir / "sentences").iterdir())
    config = json.loads((tiny_model / "sayso.json").read_text())
    assert len(shard_files) == 3 and all(config["version"] in name for name in shard_files)
    rows = read_rows(set_dir)
    expected = [
        (a["id"], i, s.text, s.start, s.end) for a in articles for i, s in enumerate(split_sentences(a["text"]))
    ]
    assert [(r["article_id"], r["sentence"], r["text"], r["start"], r["end"]) for r in rows] == expected
    first = rows[0]
    for column in (
        "type",
        "type_quote",
        "source",
        "cue_start",
        "content_end",
        "speaker",
        "stance_Kosovo",
        "stance_Serbia_against",
        "mentioned_NATO",
        "model",
        "model_version",
    ):
        assert column in first
    assert first["model"] == config["name"] and first["model_version"] == config["version"]
    assert {r["outlet"] for r in rows} == {"outlet-0", "outlet-1", "outlet-2"}
    assert {r["views"] for r in rows if r["article_id"] == "a004"} == {"40"}  # JSONL carries as strings
    summary = json.loads((set_dir / "summary.json").read_text())
    assert summary["counts"]["articles"] == 5 and summary["counts"]["sentences"] == len(rows)
    assert summary["counts"]["errors"] == 0
    speakers = pq.read_table(set_dir / "speakers.parquet")
    assert speakers.column_names[:3] == ["speaker", "target", "quotes"]


def test_csv_and_parquet_inputs_keep_their_columns(tiny_model: Path, tmp_path: Path) -> None:
    articles = make_articles(3)
    table = pa.Table.from_pylist([{"doc": a["id"], "body": a["text"], "views": a["views"]} for a in articles])
    pq.write_table(table, tmp_path / "in.parquet")
    lines = ["doc,body,outlet"] + [
        f'{a["id"]},"{a["text"].replace(chr(34), chr(34) * 2)}",{a["outlet"]}' for a in articles
    ]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = score(
        tmp_path / "in.*",
        "--output",
        out,
        "--model",
        tiny_model,
        "--id-column",
        "doc",
        "--text-column",
        "body",
        "--format",
        "jsonl",
        "--threads",
        1,
    )
    assert code == 0
    set_dir = output_set(out)
    files = sorted((set_dir / "sentences").iterdir())
    assert [f.name.split("-")[0] for f in files] == ["in", "in"]  # same stem, told apart by a path hash
    rows = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    per_file = len([s for a in articles for s in split_sentences(a["text"])])
    assert len(rows) == 2 * per_file
    assert {type(r["views"]) for r in rows} == {int, type(None)}  # Parquet keeps int; CSV rows lack it
    assert {r["outlet"] for r in rows} >= {"outlet-0", None}
    assert (set_dir / "speakers.jsonl").is_file()


def test_bad_rows_go_to_errors_and_the_job_goes_on(tiny_model: Path, tmp_path: Path) -> None:
    good = make_articles(2)
    source = tmp_path / "in.jsonl"
    with open(source, "wb") as f:
        f.write((json.dumps(good[0]) + "\n").encode())
        f.write(b'{"id": "x1"}\n')  # line 2: no text
        f.write(b'{"id": "x2", "text": 42}\n')  # line 3: not a string
        f.write(b'{"id": "x3", "text": "caf\xe9"}\n')  # line 4: Latin-1, not UTF-8
        f.write(b"{not json\n")  # line 5
        f.write(b"\n")
        f.write((json.dumps(good[1]) + "\n").encode())  # line 7
    out = tmp_path / "out"
    assert score(source, "--output", out, "--model", tiny_model, "--threads", 1) == 0
    set_dir = output_set(out)
    errors = [json.loads(line) for line in (set_dir / "errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["file"]) for e in errors] == [(n, str(source.resolve())) for n in (2, 3, 4, 5)]
    assert "missing `text`" in errors[0]["reason"] and "not a string" in errors[1]["reason"]
    assert "UTF-8" in errors[2]["reason"] and "JSON" in errors[3]["reason"]
    assert {r["article_id"] for r in read_rows(set_dir)} == {good[0]["id"], good[1]["id"]}
    summary = json.loads((set_dir / "summary.json").read_text())
    assert summary["counts"]["errors"] == 4 and summary["counts"]["scored"] == 2


def test_unreadable_file_stops_before_any_output(
    tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_jsonl(tmp_path / "a.jsonl", make_articles(2))
    (tmp_path / "b.parquet").write_bytes(b"this is not parquet")
    out = tmp_path / "out"
    assert score(tmp_path / "a.jsonl", tmp_path / "b.parquet", "--output", out, "--model", tiny_model) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "b.parquet" in err and "Traceback" not in err
    assert not out.exists()
    (tmp_path / "c.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    assert score(tmp_path / "c.csv", "--output", out, "--model", tiny_model) == 1
    assert "c.csv" in capsys.readouterr().err and not out.exists()


def test_rerun_of_a_finished_job_does_nothing(
    tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", make_articles(3))
    out = tmp_path / "out"
    args = (source, "--output", out, "--model", tiny_model, "--threads", 1)
    assert score(*args) == 0
    set_dir = output_set(out)
    before = {p: p.stat().st_mtime_ns for p in set_dir.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert score(*args) == 0
    assert "nothing to do" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in set_dir.rglob("*") if p.is_file()} == before
    # Options that change rows refuse to mix with the finished job.
    assert score(*args, "--shard-size", 7) == 1
    assert "shard_size" in capsys.readouterr().err


def test_new_model_version_writes_a_new_output_set(tiny_model: Path, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", make_articles(2))
    out = tmp_path / "out"
    assert score(source, "--output", out, "--model", tiny_model, "--threads", 1) == 0
    first = output_set(out)
    newer = tmp_path / "model-v2"
    shutil.copytree(tiny_model, newer)
    config = json.loads((newer / "sayso.json").read_text())
    old_version, config["version"] = config["version"], "v2-test"
    (newer / "sayso.json").write_text(json.dumps(config))
    assert score(source, "--output", out, "--model", newer, "--threads", 1) == 0
    sets = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(sets) == 2 and first in sets
    second = next(p for p in sets if p != first)
    assert second.name.endswith("v2-test")
    assert {r["model_version"] for r in read_rows(second)} == {"v2-test"}
    assert {r["model_version"] for r in read_rows(first)} == {old_version}


def test_kill_minus_9_then_resume_gives_the_uninterrupted_rows(tiny_model: Path, tmp_path: Path) -> None:
    articles = make_articles(60)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for part in range(3):
        write_jsonl(inputs / f"part{part}.jsonl", articles[part * 20 : (part + 1) * 20])
    common = ["--model", str(tiny_model), "--shard-size", "1", "--threads", "1"]

    reference = tmp_path / "reference"
    assert score(inputs, "--output", reference, *common) == 0
    expected = read_rows(output_set(reference))
    total_shards = 60

    out = tmp_path / "out"
    command = [sys.executable, "-m", "sayso.cli", "score", str(inputs), "--output", str(out), *common]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        done = len(list(out.glob("*/sentences/*.parquet")))
        if done >= 1:
            break
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode() if process.stderr else ""
    done = len(list(out.glob("*/sentences/*.parquet")))
    assert 1 <= done < total_shards, f"the kill did not land part-way ({done} of {total_shards} shards)"
    assert not (output_set(out) / "summary.json").exists()

    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"resuming: {done} of {total_shards} shards already done" in rerun.stderr
    set_dir = output_set(out)
    assert read_rows(set_dir) == expected
    ref_summary = json.loads((output_set(reference) / "summary.json").read_text())
    summary = json.loads((set_dir / "summary.json").read_text())
    assert summary["counts"] == ref_summary["counts"]
    assert (set_dir / "speakers.parquet").read_bytes() == (output_set(reference) / "speakers.parquet").read_bytes()
    assert not list(set_dir.rglob("*.tmp-*"))
