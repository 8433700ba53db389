"""The `sayso` command: train, evaluate, predict, validate, build (and serve, from service/).

Commands that need training code import it when they run, so reading text never loads it.
Every expected failure (bad file, bad row, missing model) ends in one line on stderr naming
the problem and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from models.classifier import Classifier, SentenceInput, UnknownTargetError, default_model_dir
from models.encoder import ModelFolderError
from models.jsonl import InputFileError, iter_jsonl
from models.schema import ModelConfigError

EXPECTED_ERRORS = (InputFileError, ModelFolderError, ModelConfigError, UnknownTargetError, ValueError, OSError)
PREDICT_FLUSH_SENTENCES = 512


def _model_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", type=Path, default=None, help="model folder (default: $SAYSO_MODEL_DIR or artifacts/default-model)"
    )


def _add_dataclass_flags(parser: argparse.ArgumentParser, cls: type) -> None:
    """One flag per TrainingArguments field; unset flags stay None so a JSON config can fill them."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        flag = "--" + f.name.replace("_", "-")
        hint = hints[f.name]
        origin = typing.get_origin(hint)
        kwargs: dict[str, Any] = {"default": None, "help": f.metadata.get("help", ""), "dest": f.name}
        if hint is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif origin is list:
            kwargs["nargs"] = "+"
        elif origin is dict:
            kwargs["type"] = json.loads
        elif origin in (typing.Union, types.UnionType):
            kwargs["type"] = str
        else:
            kwargs["type"] = hint
        parser.add_argument(flag, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    from training.train import TrainingArguments

    parser = argparse.ArgumentParser(prog="sayso", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="fine-tune a model from a corpus")
    train.add_argument("--config", type=Path, help="JSON file of training options (flags override it)")
    _add_dataclass_flags(train, TrainingArguments)

    crossval = sub.add_parser("crossval", help="k-fold cross-validation by article on the training split")
    crossval.add_argument("--folds", type=int, default=5)
    crossval.add_argument("--output", type=Path, default=None, help="write the mean, spread and runs as JSON")
    crossval.add_argument("--config", type=Path, help="JSON file of training options (flags override it)")
    _add_dataclass_flags(crossval, TrainingArguments)

    evaluate = sub.add_parser("evaluate", help="score a model and the rule baseline on labelled data")
    _model_arg(evaluate)
    evaluate.add_argument("--data", nargs="+", default=None, help="labelled JSONL (default: the frozen test split)")
    evaluate.add_argument(
        "--output",
        type=Path,
        default=None,
        help="metrics JSON; PNG confusion matrices go beside it (default: MODEL/eval/metrics.json)",
    )
    evaluate.add_argument("--runtime", choices=["torch", "onnx-int8"], default="torch")
    evaluate.add_argument(
        "--report",
        type=Path,
        default=None,
        help="also write an HTML report (metrics, confusion matrices, per-class bars, worst errors) here",
    )

    agreement = sub.add_parser(
        "agreement", help="score a second annotator's blind labels (and a model) against the corpus labels"
    )
    _model_arg(agreement)
    agreement.add_argument(
        "--second", type=Path, default=None, help="second annotation JSONL (default: training/data/agreement/)"
    )
    agreement.add_argument(
        "--data", nargs="+", default=None, help="labelled JSONL holding those sentences (default: test and probe)"
    )
    agreement.add_argument("--no-model", action="store_true", help="score only the second annotator")

    predict = sub.add_parser("predict", help="classify JSONL rows of sentences")
    _model_arg(predict)
    predict.add_argument("--input", type=Path, required=True, help="rows with `text` and optional `article_id`")
    predict.add_argument("--output", type=Path, required=True, help="one sentence result per input row")
    predict.add_argument("--threads", type=int, default=None, help="CPU threads")
    predict.add_argument("--runtime", choices=["torch", "onnx-int8"], default="torch")

    validate = sub.add_parser("validate", help="check corpus files against the annotation guide")
    validate.add_argument("files", nargs="+", type=Path)
    validate.add_argument("--targets", nargs="+", default=["Kosovo", "Serbia", "NATO"])
    validate.add_argument("--stats", action="store_true", help="print label counts of all files together as JSON")

    score = sub.add_parser("score", help="score an archive of articles (JSONL, CSV or Parquet) into a folder")
    from service import archive

    archive.add_arguments(score)

    serve = sub.add_parser("serve", help="serve the HTTP API and page (builds the default model first if absent)")
    _model_arg(serve)
    serve.add_argument(
        "--runtime", choices=["torch", "onnx-int8"], default=None, help="default: $SAYSO_RUNTIME or torch"
    )
    serve.add_argument("--host", default=None, help="default: $SAYSO_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: $SAYSO_PORT or 8000")
    serve.add_argument("--no-build", action="store_true", help="fail instead of building a missing default model")

    build = sub.add_parser("build", help="train the default model if it is absent, then evaluate it")
    _model_arg(build)
    build.add_argument("--force", action="store_true", help="retrain even if the model exists")
    return parser


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _training_args(ns: argparse.Namespace, output_required: bool = True) -> Any:
    from training.train import TrainingArguments

    flags = {f.name: getattr(ns, f.name) for f in dataclasses.fields(TrainingArguments)}
    if ns.config:
        return TrainingArguments.from_json(ns.config, **flags)
    if flags["output_dir"] is None:
        if output_required:
            raise ValueError("--output-dir is required (or give it in --config)")
        flags["output_dir"] = "unused"
    return TrainingArguments(**{k: v for k, v in flags.items() if v is not None})


def run_crossval(ns: argparse.Namespace) -> int:
    from training.crossval import cross_validate

    report = cross_validate(_training_args(ns, output_required=False), ns.folds)
    print(f"{'metric':<26}{'mean':>8}{'stdev':>8}")
    for key, mean in report["mean"].items():
        print(f"{key:<26}{mean:>8.3f}{report['stdev'][key]:>8.3f}")
    if ns.output:
        ns.output.parent.mkdir(parents=True, exist_ok=True)
        ns.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def run_train(ns: argparse.Namespace) -> int:
    from training.train import train

    summary = train(_training_args(ns))
    print(json.dumps({"dev": summary["dev"]}, indent=2))
    print(
        f"trained {summary['train_sentences']} sentences in {summary['seconds'] / 60:.1f} min, "
        f"peak memory {summary['peak_rss_mib'] / 1024:.2f} GiB; model at {summary['output_dir']}"
    )
    return 0


def _test_files() -> list[str]:
    from training.train import DATA_DIR

    return [str(p) for p in sorted((DATA_DIR / "test").glob("*.jsonl"))]


def run_evaluate(ns: argparse.Namespace) -> int:
    return _evaluate(ns.model or default_model_dir(), ns.data or _test_files(), ns.output, ns.runtime, ns.report)


def _evaluate(
    model_dir: Path, data: Sequence[str], output: Path | None, runtime: str = "torch", report_dir: Path | None = None
) -> int:
    from training.corpus import read_records
    from training.evaluate import evaluate, format_table, write_report
    from training.train import predict_records

    classifier = Classifier.load(model_dir, runtime=runtime)
    records = read_records(data, classifier.config.target_names)
    results = predict_records(classifier, records)
    report = evaluate(classifier, records, results)
    report["data"] = [str(d) for d in data]
    report["runtime"] = runtime
    output = output or model_dir / ("eval" if runtime == "torch" else f"eval-{runtime}") / "metrics.json"
    images = write_report(report, output)
    print(f"{len(records)} sentences, {report['articles']} articles from {', '.join(map(str, data))}")
    print(format_table(report))
    print(f"metrics: {output}; confusion matrices: {', '.join(str(p) for p in images)}")
    if report_dir is not None:
        from training.report import write_html_report

        page = write_html_report(report, records, report_dir, results=results)
        print(f"report: {page}")
    return 0


def run_agreement(ns: argparse.Namespace) -> int:
    from training.agreement import DEFAULT_SECOND_ANNOTATION, agreement_report, format_agreement, read_second_annotation
    from training.corpus import DEFAULT_TARGET_NAMES, read_records
    from training.train import DATA_DIR, predict_records

    data = ns.data or _test_files() + [str(p) for p in sorted((DATA_DIR / "probe").glob("*.jsonl"))]
    targets: Sequence[str] = DEFAULT_TARGET_NAMES
    classifier = None
    if not ns.no_model:
        classifier = Classifier.load(ns.model or default_model_dir())
        targets = classifier.config.target_names
    second = read_second_annotation(ns.second or DEFAULT_SECOND_ANNOTATION, targets)
    records = read_records(data, targets)
    articles = {r.article_id for r in records if r.id in second}
    records = [r for r in records if r.article_id in articles]
    results = predict_records(classifier, records) if classifier else None
    report = agreement_report(records, second, targets, results)
    print(format_agreement(report["scores"], report["sentences"], report["articles"]))
    return 0


def _predict_rows(path: Path) -> Iterator[tuple[int, str, str | None]]:
    for line, row in iter_jsonl(path):
        if not isinstance(row, dict):
            raise InputFileError(path, line, "row is not a JSON object")
        text = row.get("text")
        if not isinstance(text, str):
            raise InputFileError(path, line, "row needs a string `text`")
        article = row.get("article_id")
        if article is not None and not isinstance(article, (str, int)):
            raise InputFileError(path, line, "`article_id` must be a string or a number")
        yield line, text, None if article is None else str(article)


def run_predict(ns: argparse.Namespace) -> int:
    classifier = Classifier.load(ns.model, threads=ns.threads, runtime=ns.runtime)
    started = time.perf_counter()
    written = 0
    # Rows are read and classified in article-aligned chunks, so memory stays bounded and an
    # article is never split across two forward passes (speaker resolution needs all of it).
    tmp = ns.output.with_name(ns.output.name + ".partial")
    with open(tmp, "w", encoding="utf-8") as out:
        documents: list[list[SentenceInput]] = []
        article_ids: list[str | None] = []
        pending = 0

        def flush() -> None:
            nonlocal written, pending
            for article_id, results in zip(article_ids, classifier.classify_documents(documents), strict=True):
                for result in results:
                    row = result.as_dict()
                    if article_id is not None:
                        row = {"article_id": article_id, **row}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    written += 1
            documents.clear()
            article_ids.clear()
            pending = 0

        for _, text, article in _predict_rows(ns.input):
            if documents and article is not None and article_ids[-1] == article:
                documents[-1].append(SentenceInput(text))
            else:
                if pending >= PREDICT_FLUSH_SENTENCES:
                    flush()
                documents.append([SentenceInput(text)])
                article_ids.append(article)
            pending += 1
        flush()
    tmp.replace(ns.output)
    elapsed = time.perf_counter() - started
    _progress(f"wrote {written} rows to {ns.output} ({written / max(elapsed, 1e-9):.0f} sentences/s)")
    return 0


def run_validate(ns: argparse.Namespace) -> int:
    from training.corpus import CorpusError, corpus_stats, read_records

    failed = 0
    for path in ns.files:
        try:
            records = read_records([path], ns.targets)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path}: ok ({len(records)} sentences, {len({r.article_id for r in records})} articles)")
    # Ids must also be unique across files.
    if not failed and (len(ns.files) > 1 or ns.stats):
        try:
            records = read_records(ns.files, ns.targets)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if ns.stats:
            print(json.dumps(corpus_stats(records), indent=2))
    return 1 if failed else 0


def ensure_default_model(model_dir: Path, force: bool = False) -> bool:
    """Train and evaluate the default model into `model_dir` unless a complete one is already
    there; True when it built one."""
    from training.train import TrainingArguments, train

    if not force:
        try:
            Classifier.load(model_dir)
            _progress(f"model found at {model_dir}")
            return False
        except ModelFolderError:
            pass
    _progress(f"building the default model at {model_dir} (about 13 minutes on 2 cores, at most 15)...")
    summary = train(TrainingArguments(output_dir=str(model_dir)))
    _progress(f"built in {summary['seconds'] / 60:.1f} min, peak memory {summary['peak_rss_mib'] / 1024:.2f} GiB")
    # The model card served at /v1/model reports these test-split figures.
    _evaluate(model_dir, _test_files(), None)
    return True


def run_build(ns: argparse.Namespace) -> int:
    model_dir = ns.model or default_model_dir()
    if not ensure_default_model(model_dir, ns.force):
        _evaluate(model_dir, _test_files(), None)
    return 0


def run_serve(ns: argparse.Namespace) -> int:
    import uvicorn
    from pydantic import ValidationError

    from service.app import create_app
    from service.settings import Settings

    overrides = {
        k: v
        for k, v in {"model_dir": ns.model, "runtime": ns.runtime, "host": ns.host, "port": ns.port}.items()
        if v is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"invalid setting SAYSO_{str(first['loc'][0]).upper()}: {first['msg']}") from None
    if not ns.no_build and ns.model is None:
        ensure_default_model(settings.model_dir)
    app = create_app(settings)
    # uvicorn finishes requests in flight on SIGTERM before it exits (graceful shutdown).
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", timeout_graceful_shutdown=30)
    return 0


def run_score(ns: argparse.Namespace) -> int:
    from service import archive

    return archive.run(ns)


COMMANDS = {
    "train": run_train,
    "evaluate": run_evaluate,
    "predict": run_predict,
    "validate": run_validate,
    "serve": run_serve,
    "crossval": run_crossval,
    "agreement": run_agreement,
    "score": run_score,
    "build": run_build,
}


def main(argv: Sequence[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    try:
        return COMMANDS[ns.command](ns)
    except EXPECTED_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
