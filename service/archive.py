"""`sayso score`: batch scoring of article archives, resumable and exactly once (issue 5).

Flow: resolve the inputs -> plan shards (a cheap pre-scan that also rejects unreadable files
before any output exists) -> score each pending shard (split, classify in ~2,048-sentence chunks,
stream rows to a temporary file, rename) -> merge the per-shard state into `errors.jsonl`,
the speakers table and `summary.json`.

Exactly once: an output shard exists under its final name only after its rows and its state
file are complete (temporary name, fsync, rename), so a shard is either done or redone from
scratch; rows depend only on the shard's input rows and the model, never on what ran before.
The same `ShardScorer` runs in-process (`--engine local`) or as a Ray Data actor (`--engine ray`).
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import glob
import hashlib
import io
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from models.classifier import Classifier, SentenceInput, clean_text, default_model_dir, read_model_config
from models.jsonl import InputFileError
from models.memory import peak_rss_mib
from models.schema import SPAN_FIELDS, STANCE_LABELS, ModelConfig
from models.segment import split_sentences
from service.archive_charts import write_stance_charts

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
PLAN_VERSION = 1
CHUNK_SENTENCES = 2048  # sentences per classify call: sorted by length together, so little padding
WRITE_ROWS = 4096  # output rows buffered before a Parquet row group is written
PARQUET_BATCH = 256  # input rows per Parquet read batch
EXAMPLES = 3  # example sentence ids kept per speaker, target and stance
STATE_DIR = "_state"
SENTENCES_DIR = "sentences"
LOCK_FILE = ".lock"

csv.field_size_limit(2**31 - 1)  # articles can be longer than the csv module's 128 KiB default


# -- command line ----------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", help="JSONL, CSV or Parquet files, folders or globs")
    parser.add_argument("--output", type=Path, required=True, help="output folder (one subfolder per model version)")
    parser.add_argument(
        "--model", type=Path, default=None, help="model folder (default: $SAYSO_MODEL_DIR or artifacts/default-model)"
    )
    parser.add_argument("--runtime", choices=["torch", "onnx-int8"], default="torch")
    parser.add_argument("--id-column", default="id", help="column holding the article id (default: id)")
    parser.add_argument("--text-column", default="text", help="column holding the article text (default: text)")
    parser.add_argument("--format", choices=["parquet", "jsonl"], default="parquet", help="output format")
    parser.add_argument("--shard-size", type=int, default=1000, help="articles per shard, the unit of resume")
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument("--ray-address", default=None, help="an existing Ray cluster (default: start a local one)")
    parser.add_argument("--actors", type=int, default=None, help="Ray actors (default: one per CPU of the cluster)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads per model (Ray default: 1)")
    parser.add_argument(
        "--date-column", default="date", help="carried column with dates, for the stance-over-time chart"
    )
    parser.add_argument(
        "--outlet-column", default="outlet", help="carried column with outlets, for the per-outlet chart"
    )


def run(ns: argparse.Namespace) -> int:
    if ns.shard_size < 1:
        raise ValueError("--shard-size must be at least 1")
    if ns.actors is not None and ns.actors < 1:
        raise ValueError("--actors must be at least 1")
    model_dir = Path(ns.model) if ns.model else default_model_dir()
    config = read_model_config(model_dir)
    files = resolve_inputs(ns.inputs)
    settings = {
        "id_column": ns.id_column,
        "text_column": ns.text_column,
        "format": ns.format,
        "shard_size": ns.shard_size,
        "model": {
            "name": config.name,
            "version": config.version,
            "runtime": ns.runtime,
            "weights_sha256": weights_hash(model_dir),
        },
    }
    out_dir = Path(ns.output) / set_name(config, ns.runtime)
    plan = load_or_make_plan(out_dir, files, settings)
    # Only now, with every input known to be readable, does anything get written.
    (out_dir / STATE_DIR).mkdir(parents=True, exist_ok=True)
    (out_dir / SENTENCES_DIR).mkdir(exist_ok=True)
    with job_lock(out_dir):
        if not (out_dir / "job.json").is_file():
            atomic_write_text(out_dir / "job.json", json.dumps(plan, indent=1, ensure_ascii=False) + "\n")
        remove_temporaries(out_dir)
        shards = [Shard(**s) for s in plan["shards"]]
        pending = [s for s in shards if not shard_path(out_dir, plan, s).is_file()]
        if not pending and (out_dir / "summary.json").is_file():
            summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
            print(
                f"nothing to do: {out_dir} is complete ({len(shards)} shards, {summary['counts']['sentences']} "
                f"sentences, model {config.name} {config.version})",
                file=sys.stderr,
            )
            return 0
        if len(pending) < len(shards):
            print(f"resuming: {len(shards) - len(pending)} of {len(shards)} shards already done", file=sys.stderr)
        spec = ScorerSpec(str(model_dir), ns.runtime, ns.threads, str(out_dir), plan)
        # The local model loads before the clock starts, so throughput is scoring alone.
        scorer = ShardScorer(spec) if pending and ns.engine == "local" else None
        started = time.perf_counter()
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        total = sum(s.rows for s in shards)
        done = total - sum(s.rows for s in pending)
        engine_info: dict[str, Any] = {"engine": ns.engine}
        with progress_bar(total, done) as bar:
            if not pending:
                pass
            elif ns.engine == "ray":
                engine_info |= run_ray(spec, pending, ns.ray_address, ns.actors, ns.threads, bar)
            elif scorer is not None:
                for shard in pending:
                    scorer.score_shard(shard, bar.update)
        seconds = time.perf_counter() - started
        engine_info["charts"] = write_stance_charts(
            out_dir,
            [shard_path(out_dir, plan, s) for s in shards],
            config.target_names,
            ns.date_column,
            ns.outlet_column,
            carried_names(plan),
        )
        summary = finalize(out_dir, plan, shards, pending, seconds, started_at, engine_info)
    counts = summary["counts"]
    run_info = summary["this_run"]
    print(
        f"scored {run_info['articles']} articles ({run_info['sentences']} sentences) in {seconds:.1f} s: "
        f"{run_info['articles_per_s']:.1f} articles/s, {run_info['sentences_per_s']:.0f} sentences/s; "
        f"{counts['errors']} bad rows{' (see errors.jsonl)' if counts['errors'] else ''}; output in {out_dir}",
        file=sys.stderr,
    )
    return 0


def progress_bar(total: int, initial: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, unit="article", desc="scoring", file=sys.stderr, mininterval=0.5, smoothing=0.1
    )


# -- inputs and the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """A run of consecutive rows of one input file; `first_line` is 1-based (0 for Parquet)."""

    name: str
    file: str
    format: str
    index: int
    first_row: int
    rows: int
    byte_start: int = 0
    byte_end: int = 0
    first_line: int = 0


def resolve_inputs(inputs: Sequence[str]) -> list[Path]:
    """Files, folders (their JSONL/CSV/Parquet files, recursively) and globs; sorted, no duplicates."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            matches = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
            if not matches:
                raise ValueError(f"{item}: folder holds no .jsonl, .csv or .parquet files")
        elif path.exists():
            matches = [path]
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not matches:
                raise ValueError(f"{item}: no file matches")
        else:
            raise InputFileError(item, 0, "no such file or folder")
        for match in matches:
            if match.suffix.lower() not in FORMATS:
                raise InputFileError(match, 0, "unknown input type (expected .jsonl, .ndjson, .csv or .parquet)")
            resolved = match.resolve()
            if resolved not in found:
                found.append(resolved)
    return found


def set_name(config: ModelConfig, runtime: str) -> str:
    """One output set per model name and version (and runtime: int8 scores differ slightly)."""
    name = f"{config.name}-{config.version}" + ("" if runtime == "torch" else f"-{runtime}")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def weights_hash(model_dir: Path) -> str:
    """Two models can share a version string; the weights tell them apart."""
    digest = hashlib.sha256()
    weights = model_dir / "model.safetensors"
    if weights.is_file():
        with open(weights, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def file_stamp(path: Path) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputFileError(path, 0, f"cannot read file: {exc.strerror or exc}") from None
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def load_or_make_plan(out_dir: Path, files: list[Path], settings: dict[str, Any]) -> dict[str, Any]:
    """The job's plan: the stored one if the same job ran here before, else a fresh pre-scan.

    The stored plan is reused only for the same inputs (path, size, mtime) and settings that
    change rows; anything else would mix two jobs in one output set, so it stops with a message.
    """
    stamps = [file_stamp(p) for p in files]
    job_file = out_dir / "job.json"
    if job_file.is_file():
        try:
            stored = json.loads(job_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{job_file}: unreadable job file ({exc}); remove {out_dir} to start over") from None
        if stored.get("plan_version") == PLAN_VERSION:
            differences = [
                f"{key}: {stored['settings'].get(key)!r} then, {value!r} now"
                for key, value in settings.items()
                if stored["settings"].get(key) != value
            ]
            if stored["inputs"] != stamps:
                differences.append("the input files (or their size or modification time) differ")
            if differences:
                raise ValueError(
                    f"{out_dir} holds another job ({'; '.join(differences)}); "
                    "rerun with the same inputs and options, or choose another --output"
                )
            return stored
        raise ValueError(f"{job_file} was written by another version of sayso; choose another --output")
    names = shard_stems(files)
    shards: list[dict[str, Any]] = []
    carried: dict[str, list[pa.DataType]] = {}
    for path, stem in zip(files, names, strict=True):
        file_shards, columns = scan_file(path, settings["shard_size"], settings["id_column"], settings["text_column"])
        shards.extend(asdict(s) | {"name": f"{stem}-{s.index:05d}"} for s in file_shards)
        for column, dtype in columns.items():
            carried.setdefault(column, []).append(dtype)
    schema = carried_schema(carried)
    return {
        "plan_version": PLAN_VERSION,
        "settings": settings,
        "inputs": stamps,
        "carried_schema": schema.serialize().to_pybytes().hex(),
        "shards": shards,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def shard_stems(files: list[Path]) -> list[str]:
    """Output names follow input names; a stem shared by two inputs gets a short path hash."""
    stems = [re.sub(r"[^A-Za-z0-9._-]+", "_", p.stem) for p in files]
    return [
        stem if stems.count(stem) == 1 else f"{stem}-{hashlib.sha1(str(p).encode()).hexdigest()[:8]}"
        for stem, p in zip(stems, files, strict=True)
    ]


def carried_names(plan: dict[str, Any]) -> list[str]:
    """Output names of the columns carried through from the input."""
    schema = pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(plan["carried_schema"])))
    return [f.name for f in schema]


def carried_schema(columns: dict[str, list[pa.DataType]]) -> pa.Schema:
    """Every shard file gets the same columns: a Parquet type where all inputs agree, else string."""
    reserved = set(output_base_names())
    fields = []
    for name, types in columns.items():
        dtype = types[0] if all(t == types[0] for t in types) and not pa.types.is_null(types[0]) else pa.string()
        out_name = name if name not in reserved else f"input_{name}"
        fields.append(pa.field(out_name, dtype, metadata={"input": name}))
    return pa.schema(fields)


def scan_file(path: Path, shard_size: int, id_column: str, text_column: str) -> tuple[list[Shard], dict[str, Any]]:
    """Cut a file into shards and list its other columns; a file that cannot be read fails here."""
    fmt = FORMATS[path.suffix.lower()]
    try:
        if fmt == "parquet":
            return scan_parquet(path, shard_size, id_column, text_column)
        if fmt == "csv":
            return scan_csv(path, shard_size, id_column, text_column)
        return scan_jsonl(path, shard_size, id_column, text_column)
    except OSError as exc:
        raise InputFileError(path, 0, f"cannot read file: {exc.strerror or exc}") from None


def _cut(path: Path, fmt: str, starts: list[tuple[int, int]], end: int, shard_size: int) -> list[Shard]:
    """Shards from the (byte offset, line) of every row start, `shard_size` rows each."""
    shards = []
    for index, first in enumerate(range(0, len(starts), shard_size)):
        last = first + shard_size
        byte_end = starts[last][0] if last < len(starts) else end
        rows = min(shard_size, len(starts) - first)
        shards.append(Shard("", str(path), fmt, index, first, rows, starts[first][0], byte_end, starts[first][1]))
    return shards


def scan_jsonl(path: Path, shard_size: int, id_column: str, text_column: str) -> tuple[list[Shard], dict[str, Any]]:
    starts: list[tuple[int, int]] = []
    keys: dict[str, None] = {}
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                starts.append((offset, number))
                try:
                    row = json.loads(raw)
                except ValueError:
                    row = None  # a bad row: reported when its shard is scored
                if isinstance(row, dict):
                    keys.update(dict.fromkeys(k for k in row if k not in (id_column, text_column)))
            offset += len(raw)
    return _cut(path, "jsonl", starts, offset, shard_size), dict.fromkeys(keys, pa.string())


def _csv_records(handle: IO[bytes], offset: int, line: int) -> Iterator[tuple[int, int, bytes]]:
    """(byte offset, line, bytes) of each CSV record: a line ends a record when its quotes balance,
    which is how RFC 4180 quoting works ("" inside a field counts twice)."""
    parts: list[bytes] = []
    start, start_line, odd = offset, line, False
    for raw in handle:
        if not parts:
            start, start_line = offset, line
        parts.append(raw)
        odd ^= raw.count(b'"') % 2 == 1
        offset += len(raw)
        line += 1
        if not odd:
            yield start, start_line, b"".join(parts)
            parts = []
    if parts:
        yield start, start_line, b"".join(parts)


def _parse_csv(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text, newline="")), [])


def csv_header(path: Path, handle: IO[bytes]) -> tuple[list[str], int, int]:
    """Column names, and the byte offset and line after the header."""
    for offset, line, raw in _csv_records(handle, 0, 1):
        if not raw.strip():
            continue
        try:
            names = _parse_csv(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputFileError(path, line, f"unreadable CSV header ({exc})") from None
        if len(set(names)) != len(names):
            raise InputFileError(path, line, "CSV header repeats a column name")
        return names, offset + len(raw), line + raw.count(b"\n")
    raise InputFileError(path, 0, "empty CSV file (no header)")


def scan_csv(path: Path, shard_size: int, id_column: str, text_column: str) -> tuple[list[Shard], dict[str, Any]]:
    with open(path, "rb") as handle:
        names, offset, line = csv_header(path, handle)
        for needed, flag in ((id_column, "--id-column"), (text_column, "--text-column")):
            if needed not in names:
                raise InputFileError(path, 0, f"no `{needed}` column (columns: {', '.join(names)}; see {flag})")
        starts = [(o, n) for o, n, raw in _csv_records(handle, offset, line) if raw.strip()]
        end = handle.seek(0, os.SEEK_END)
    carried = {n: pa.string() for n in names if n not in (id_column, text_column)}
    return _cut(path, "csv", starts, end, shard_size), carried


def scan_parquet(path: Path, shard_size: int, id_column: str, text_column: str) -> tuple[list[Shard], dict[str, Any]]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, ValueError) as exc:
        raise InputFileError(path, 0, f"not a readable Parquet file ({exc})") from None
    schema = parquet.schema_arrow
    for needed, flag in ((id_column, "--id-column"), (text_column, "--text-column")):
        if needed not in schema.names:
            raise InputFileError(path, 0, f"no `{needed}` column (columns: {', '.join(schema.names)}; see {flag})")
    rows = parquet.metadata.num_rows
    shards = [
        Shard("", str(path), "parquet", index, first, min(shard_size, rows - first))
        for index, first in enumerate(range(0, rows, shard_size))
    ]
    carried = {f.name: f.type for f in schema if f.name not in (id_column, text_column)}
    return shards, carried


# -- reading one shard -----------------------------------------------------------------------------


@dataclass
class InputRow:
    """One article, or the reason it cannot be scored."""

    row: int
    article_id: str | None
    text: str | None
    carried: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _as_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return clean_text(str(value))


def _as_string(value: Any) -> str | None:
    """Carried values in a string column: strings as they are, anything else as JSON."""
    if value is None or isinstance(value, str):
        return None if value is None else clean_text(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return json.dumps(value, ensure_ascii=False, default=str)


def _make_row(
    row: int, article_id: Any, text: Any, carried: dict[str, Any], id_column: str, text_column: str
) -> InputRow:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return InputRow(
                row, _as_id(article_id), None, error=f"`{text_column}` is not valid UTF-8 (byte {exc.start})"
            )
    if text is None:
        return InputRow(row, _as_id(article_id), None, error=f"missing `{text_column}`")
    if not isinstance(text, str):
        return InputRow(row, _as_id(article_id), None, error=f"`{text_column}` is not a string ({type(text).__name__})")
    if isinstance(article_id, bytes):
        article_id = article_id.decode("utf-8", errors="replace")
    if article_id is None:
        return InputRow(row, None, None, error=f"missing `{id_column}`")
    checked = _as_id(article_id)
    if checked is None:
        return InputRow(row, None, None, error=f"`{id_column}` must be a string or a number")
    return InputRow(row, checked, text, carried)


def read_shard(shard: Shard, schema: pa.Schema, id_column: str, text_column: str) -> Iterator[InputRow]:
    try:
        if shard.format == "parquet":
            yield from read_parquet_shard(shard, schema, id_column, text_column)
        elif shard.format == "csv":
            yield from read_csv_shard(shard, schema, id_column, text_column)
        else:
            yield from read_jsonl_shard(shard, schema, id_column, text_column)
    except OSError as exc:
        raise InputFileError(shard.file, 0, f"cannot read file: {exc.strerror or exc}") from None


def _byte_range(shard: Shard) -> Iterator[bytes]:
    with open(shard.file, "rb") as handle:
        handle.seek(shard.byte_start)
        remaining = shard.byte_end - shard.byte_start
        for raw in handle:
            if remaining <= 0:
                break
            remaining -= len(raw)
            yield raw


def read_jsonl_shard(shard: Shard, schema: pa.Schema, id_column: str, text_column: str) -> Iterator[InputRow]:
    carried = [(f.name, f.metadata[b"input"].decode()) for f in schema]
    for number, raw in enumerate(_byte_range(shard), start=shard.first_line):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputRow(number, None, None, error=f"not valid UTF-8 (byte {exc.start})")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputRow(number, None, None, error=f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(row, dict):
            yield InputRow(number, None, None, error="row is not a JSON object")
            continue
        values = {out: _as_string(row.get(name)) for out, name in carried}
        yield _make_row(number, row.get(id_column), row.get(text_column), values, id_column, text_column)


def read_csv_shard(shard: Shard, schema: pa.Schema, id_column: str, text_column: str) -> Iterator[InputRow]:
    with open(shard.file, "rb") as handle:
        names, _, _ = csv_header(Path(shard.file), handle)
    position = {name: i for i, name in enumerate(names)}
    carried = [
        (f.name, position[f.metadata[b"input"].decode()]) for f in schema if f.metadata[b"input"].decode() in position
    ]
    with open(shard.file, "rb") as handle:
        handle.seek(shard.byte_start)
        limited = io.BytesIO(handle.read(shard.byte_end - shard.byte_start))  # one shard: bounded
    for _, line, raw in _csv_records(limited, 0, shard.first_line):
        if not raw.strip():
            continue
        try:
            fields = _parse_csv(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield InputRow(line, None, None, error=f"not valid UTF-8 (byte {exc.start})")
            continue
        except csv.Error as exc:
            yield InputRow(line, None, None, error=f"malformed CSV ({exc})")
            continue
        if len(fields) != len(names):
            yield InputRow(line, None, None, error=f"{len(fields)} fields, the header has {len(names)}")
            continue
        values = {out: clean_text(fields[i]) for out, i in carried}
        yield _make_row(
            line, fields[position[id_column]], fields[position[text_column]], values, id_column, text_column
        )


def _values(array: pa.Array | pa.ChunkedArray) -> list[Any]:
    """Python values; string columns come as bytes so that invalid UTF-8 is caught per row."""
    if pa.types.is_string(array.type):
        return array.cast(pa.binary()).to_pylist()
    if pa.types.is_large_string(array.type):
        return array.cast(pa.large_binary()).to_pylist()
    return array.to_pylist()


def read_parquet_shard(shard: Shard, schema: pa.Schema, id_column: str, text_column: str) -> Iterator[InputRow]:
    parquet = pq.ParquetFile(shard.file)
    groups, group_start, position = [], None, 0
    for g in range(parquet.metadata.num_row_groups):
        size = parquet.metadata.row_group(g).num_rows
        if position < shard.first_row + shard.rows and position + size > shard.first_row:
            groups.append(g)
            group_start = position if group_start is None else group_start
        position += size
    carried = [(f.name, f.metadata[b"input"].decode(), f.type) for f in schema]
    present = set(parquet.schema_arrow.names)
    columns = [id_column, text_column, *(name for _, name, _ in carried if name in present)]
    row = group_start or 0
    end = shard.first_row + shard.rows
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH, row_groups=groups, columns=columns):
        ids = _values(batch.column(id_column))
        texts = _values(batch.column(text_column))
        others = {}
        for out, name, dtype in carried:
            if name in present:
                column = batch.column(name)
                same = column.type == dtype
                others[out] = column.to_pylist() if same else [_as_string(v) for v in _values(column)]
        for i in range(batch.num_rows):
            if shard.first_row <= row < end:
                values = {out: others[out][i] if out in others else None for out, _, _ in carried}
                yield _make_row(row + 1, ids[i], texts[i], values, id_column, text_column)
            row += 1
        if row >= end:
            break


# -- scoring ---------------------------------------------------------------------------------------


@dataclass
class ScorerSpec:
    """All a scorer needs, JSON-friendly so that a Ray actor can be built from it."""

    model_dir: str
    runtime: str
    threads: int | None
    out_dir: str
    plan: dict[str, Any]


def output_base_names(targets: Sequence[str] = ()) -> list[str]:
    names = ["article_id", "sentence", "start", "end", "text", "type", "type_fact", "type_quote", "type_opinion"]
    for span in SPAN_FIELDS:
        names += [span, f"{span}_start", f"{span}_end"]
    names += ["speaker", "attribution_score"]
    for target in targets:
        names += [f"stance_{target}", *(f"stance_{target}_{label}" for label in STANCE_LABELS), f"mentioned_{target}"]
    return [*names, "model", "model_version"]


def output_schema(targets: Sequence[str], carried: pa.Schema) -> pa.Schema:
    types: dict[str, pa.DataType] = {"sentence": pa.int32(), "start": pa.int32(), "end": pa.int32()}
    for name in ("type_fact", "type_quote", "type_opinion", "attribution_score"):
        types[name] = pa.float64()
    for span in SPAN_FIELDS:
        types[f"{span}_start"] = types[f"{span}_end"] = pa.int32()
    for target in targets:
        types[f"mentioned_{target}"] = pa.bool_()
        for label in STANCE_LABELS:
            types[f"stance_{target}_{label}"] = pa.float64()
    fields = [pa.field(name, types.get(name, pa.string())) for name in output_base_names(targets)]
    return pa.schema(fields + [pa.field(f.name, f.type) for f in carried])


def sentence_row(article_id: str, result: dict[str, Any], model: tuple[str, str]) -> dict[str, Any]:
    """The sentence shape (SentenceResult.as_dict) flattened into one table row."""
    row: dict[str, Any] = {
        "article_id": article_id,
        "sentence": result["index"],
        "start": result["start"],
        "end": result["end"],
        "text": result["text"],
        "type": result["type"]["label"],
    }
    for label, score in result["type"]["scores"].items():
        row[f"type_{label}"] = score
    attribution = result["attribution"] or {}
    for span in SPAN_FIELDS:
        value = attribution.get(span) or {}
        row[span], row[f"{span}_start"], row[f"{span}_end"] = value.get("text"), value.get("start"), value.get("end")
    row["speaker"] = attribution.get("speaker")
    row["attribution_score"] = attribution.get("score")
    for target, stance in result["stance"].items():
        row[f"stance_{target}"] = stance["label"]
        for label, score in stance["scores"].items():
            row[f"stance_{target}_{label}"] = score
        row[f"mentioned_{target}"] = stance["mentioned"]
    row["model"], row["model_version"] = model
    return row


class ShardWriter:
    """Rows to a temporary file, renamed to the final name only once complete (after fsync)."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.path, self.schema, self.fmt = path, schema, fmt
        self.tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        self.rows: list[dict[str, Any]] = []
        self.parquet: pq.ParquetWriter | None = None
        self.jsonl: IO[str] | None = None
        if fmt == "parquet":
            self.parquet = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        else:
            self.jsonl = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed in commit()

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= WRITE_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.parquet is not None and self.rows:
            self.parquet.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        elif self.jsonl is not None:
            for row in self.rows:
                # Every row has every column (null where an input lacks it), as in Parquet.
                full = {name: row.get(name) for name in self.schema.names}
                self.jsonl.write(json.dumps(full, ensure_ascii=False, default=str) + "\n")
        self.rows = []

    def commit(self) -> None:
        self.flush()
        if self.parquet is not None:
            self.parquet.close()
        if self.jsonl is not None:
            self.jsonl.close()
        fsync_path(self.tmp)
        os.replace(self.tmp, self.path)
        fsync_path(self.path.parent)


class ShardScorer:
    """Scores whole shards: the unit both engines run (Ray calls it through `__call__`)."""

    def __init__(self, spec: ScorerSpec | dict[str, Any]) -> None:
        self.spec = spec if isinstance(spec, ScorerSpec) else ScorerSpec(**spec)
        self.classifier = Classifier.load(self.spec.model_dir, threads=self.spec.threads, runtime=self.spec.runtime)
        plan = self.spec.plan
        self.settings = plan["settings"]
        self.carried = pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(plan["carried_schema"])))
        self.targets = self.classifier.config.target_names
        self.schema = output_schema(self.targets, self.carried)
        self.model = (self.classifier.config.name, self.classifier.config.version)
        if self.model != (self.settings["model"]["name"], self.settings["model"]["version"]):
            raise ValueError(f"model at {self.spec.model_dir} is not the one this job was planned with")

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        """Ray Data `map_batches` entry: each row is one shard (as JSON); returns its stats as JSON."""
        return {"stats": [json.dumps(self.score_shard(Shard(**json.loads(s)))) for s in batch["shard"]]}

    def score_shard(self, shard: Shard, progress: Callable[[int], Any] | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        out_dir = Path(self.spec.out_dir)
        settings = self.settings
        writer = ShardWriter(shard_path(out_dir, self.spec.plan, shard), self.schema, settings["format"])
        stats: dict[str, Any] = {"shard": shard.name, "articles": 0, "scored": 0, "sentences": 0, "errors": []}
        speakers: dict[str, Any] = {}
        chunk: list[tuple[InputRow, list[SentenceInput]]] = []
        pending_sentences = 0

        def flush() -> None:
            nonlocal pending_sentences
            results = self.classifier.classify_documents([sentences for _, sentences in chunk])
            for (item, _), article in zip(chunk, results, strict=True):
                for result in article:
                    row = sentence_row(item.article_id or "", result.as_dict(), self.model) | item.carried
                    writer.add(row)
                    count_speaker(speakers, row, self.targets)
                stats["sentences"] += len(article)
            if progress is not None:
                progress(len(chunk))
            chunk.clear()
            pending_sentences = 0

        try:
            for item in read_shard(shard, self.carried, settings["id_column"], settings["text_column"]):
                stats["articles"] += 1
                if item.error is not None:
                    stats["errors"].append(
                        {"file": shard.file, "row": item.row, "id": item.article_id, "reason": item.error}
                    )
                    if progress is not None:
                        progress(1)
                    continue
                text = clean_text(item.text or "")
                sentences = [SentenceInput(s.text, s.start, s.end) for s in split_sentences(text)]
                chunk.append((item, sentences))
                stats["scored"] += 1
                pending_sentences += len(sentences)
                if pending_sentences >= CHUNK_SENTENCES:
                    flush()
            if chunk:
                flush()
            stats["seconds"] = round(time.perf_counter() - started, 3)
            stats["speakers"] = speakers
            # State first, rows second: the rows' rename is the commit point, so a done shard
            # always has its state, and a half-done one is simply redone.
            atomic_write_text(state_path(out_dir, shard), json.dumps(stats, ensure_ascii=False) + "\n")
            writer.commit()
        finally:
            if writer.tmp.exists():
                writer.tmp.unlink()
        return {k: v for k, v in stats.items() if k != "speakers"} | {"errors": len(stats["errors"])}


def count_speaker(speakers: dict[str, Any], row: dict[str, Any], targets: Sequence[str]) -> None:
    """Per speaker: quotes, and per target the stance counts and a few example sentence ids."""
    speaker = row.get("speaker")
    if not speaker:
        return
    entry = speakers.setdefault(speaker, {"quotes": 0, "targets": {}})
    entry["quotes"] += 1
    sentence_id = f"{row['article_id']}:{row['sentence']}"
    for target in targets:
        counts = entry["targets"].setdefault(
            target, {**dict.fromkeys(STANCE_LABELS, 0), "mentioned": 0, "examples": {"favor": [], "against": []}}
        )
        label = row[f"stance_{target}"]
        counts[label] += 1
        counts["mentioned"] += int(bool(row[f"mentioned_{target}"]))
        examples = counts["examples"].get(label)
        if examples is not None and len(examples) < EXAMPLES:
            examples.append(sentence_id)


# -- the Ray engine --------------------------------------------------------------------------------


def run_ray(
    spec: ScorerSpec, pending: list[Shard], address: str | None, actors: int | None, threads: int | None, bar: Any
) -> dict[str, Any]:
    """Pending shards through Ray Data: one row per shard, scored by an actor pool of ShardScorers.

    Actors read their shard and write its output themselves, so inputs and the output folder
    must be on storage every node sees (a shared or network file system).
    """
    try:
        import ray
    except ImportError:
        raise ValueError("--engine ray needs Ray: pip install 'sayso[ray]'") from None
    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, log_to_driver=False)
    try:
        cpus = float(ray.cluster_resources().get("CPU", 1))
        size = actors or max(1, int(cpus))
        # Below one CPU each on a small machine, or the pool leaves no CPU for Ray's own tasks.
        actor_cpus = min(1.0, 0.75 * cpus / size)
        spec_dict = asdict(spec) | {"threads": threads or max(1, int(actor_cpus))}
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        dataset = ray.data.from_items(
            [{"shard": json.dumps(asdict(s))} for s in pending], override_num_blocks=len(pending)
        )
        scored = dataset.map_batches(
            ShardScorer,
            fn_constructor_kwargs={"spec": spec_dict},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=actor_cpus,
        )
        for row in scored.iter_rows():
            bar.update(json.loads(row["stats"])["articles"])
        return {"actors": size, "actor_cpus": actor_cpus, "threads_per_actor": spec_dict["threads"]}
    finally:
        if started_here:
            ray.shutdown()


# -- files -----------------------------------------------------------------------------------------


def shard_path(out_dir: Path, plan: dict[str, Any], shard: Shard) -> Path:
    settings = plan["settings"]
    version = re.sub(r"[^A-Za-z0-9._-]+", "_", settings["model"]["version"])
    return out_dir / SENTENCES_DIR / f"{shard.name}.{version}.{settings['format']}"


def state_path(out_dir: Path, shard: Shard) -> Path:
    return out_dir / STATE_DIR / f"{shard.name}.json"


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk, so a rename survives power loss."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync folders
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    fsync_path(tmp)
    os.replace(tmp, path)


def atomic_write_table(path: Path, table: pa.Table, fmt: str) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    if fmt == "parquet":
        pq.write_table(table, tmp)
    else:
        with open(tmp, "w", encoding="utf-8") as out:
            for row in table.to_pylist():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    fsync_path(tmp)
    os.replace(tmp, path)


def remove_temporaries(out_dir: Path) -> None:
    """Leftovers of a killed run (we hold the lock, so no live writer owns them)."""
    for folder in (out_dir, out_dir / STATE_DIR, out_dir / SENTENCES_DIR):
        for path in folder.glob("*.tmp-*"):
            path.unlink(missing_ok=True)


class job_lock:
    """One writer per output set; the OS drops the lock when the process dies, even on kill -9."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_FILE
        self.handle: IO[str] | None = None

    def __enter__(self) -> job_lock:
        self.handle = open(self.path, "a", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise ValueError(f"another `sayso score` is writing to {self.path.parent}") from None
        return self

    def __exit__(self, *_: object) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


# -- the end of a job ------------------------------------------------------------------------------


def finalize(
    out_dir: Path,
    plan: dict[str, Any],
    shards: list[Shard],
    scored_now: list[Shard],
    seconds: float,
    started_at: str,
    engine: dict[str, Any],
) -> dict[str, Any]:
    """errors.jsonl, the speakers table and summary.json, merged from every shard's state in plan
    order (so a resumed job writes the same files as an uninterrupted one); summary.json last,
    as the job's completion mark."""
    settings = plan["settings"]
    totals = {"files": len(plan["inputs"]), "shards": len(shards), "articles": 0, "scored": 0, "sentences": 0}
    shard_seconds = 0.0
    speakers: dict[str, Any] = {}
    errors = 0
    tmp = out_dir / f"errors.jsonl.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as error_file:
        for shard in shards:
            state = json.loads(state_path(out_dir, shard).read_text(encoding="utf-8"))
            for key in ("articles", "scored", "sentences"):
                totals[key] += state[key]
            shard_seconds += state["seconds"]
            for error in state["errors"]:
                error_file.write(json.dumps(error, ensure_ascii=False) + "\n")
            errors += len(state["errors"])
            merge_speakers(speakers, state["speakers"])
    fsync_path(tmp)
    os.replace(tmp, out_dir / "errors.jsonl")
    speaker_file = out_dir / f"speakers.{settings['format']}"
    atomic_write_table(speaker_file, speakers_table(speakers), settings["format"])
    now = {"articles": 0, "sentences": 0}
    scored_names = {s.name for s in scored_now}
    for shard in shards:
        if shard.name in scored_names:
            state = json.loads(state_path(out_dir, shard).read_text(encoding="utf-8"))
            now["articles"] += state["articles"]
            now["sentences"] += state["sentences"]
    summary = {
        "model": settings["model"],
        "inputs": [i["path"] for i in plan["inputs"]],
        "output": {
            "sentences": str(out_dir / SENTENCES_DIR),
            "speakers": str(speaker_file),
            "errors": str(out_dir / "errors.jsonl"),
        },
        "counts": totals | {"errors": errors, "speakers": len(speakers)},
        "shard_seconds": round(shard_seconds, 3),
        "this_run": {
            "started": started_at,
            "seconds": round(seconds, 3),
            "shards": len(scored_now),
            "resumed_from": len(shards) - len(scored_now),
            **now,
            "articles_per_s": round(now["articles"] / max(seconds, 1e-9), 2),
            "sentences_per_s": round(now["sentences"] / max(seconds, 1e-9), 2),
            "peak_rss_mib": round(peak_rss_mib(), 1),
            **engine,
        },
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(out_dir / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def merge_speakers(into: dict[str, Any], part: dict[str, Any]) -> None:
    for speaker, entry in part.items():
        merged = into.setdefault(speaker, {"quotes": 0, "targets": {}})
        merged["quotes"] += entry["quotes"]
        for target, counts in entry["targets"].items():
            have = merged["targets"].setdefault(
                target, {**dict.fromkeys(STANCE_LABELS, 0), "mentioned": 0, "examples": {"favor": [], "against": []}}
            )
            for key in (*STANCE_LABELS, "mentioned"):
                have[key] += counts[key]
            for label, ids in counts["examples"].items():
                have["examples"][label] = (have["examples"][label] + ids)[:EXAMPLES]


def speakers_table(speakers: dict[str, Any]) -> pa.Table:
    """One row per speaker and target: who said what about whom, most-quoted speakers first."""
    rows = []
    for speaker, entry in sorted(speakers.items(), key=lambda item: (-item[1]["quotes"], item[0])):
        for target, counts in entry["targets"].items():
            rows.append(
                {
                    "speaker": speaker,
                    "target": target,
                    "quotes": entry["quotes"],
                    **{label: counts[label] for label in STANCE_LABELS},
                    "mentioned": counts["mentioned"],
                    "favor_examples": counts["examples"]["favor"],
                    "against_examples": counts["examples"]["against"],
                }
            )
    schema = pa.schema(
        [
            pa.field("speaker", pa.string()),
            pa.field("target", pa.string()),
            pa.field("quotes", pa.int64()),
            *(pa.field(label, pa.int64()) for label in STANCE_LABELS),
            pa.field("mentioned", pa.int64()),
            pa.field("favor_examples", pa.list_(pa.string())),
            pa.field("against_examples", pa.list_(pa.string())),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)
