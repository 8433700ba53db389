"""Load a model folder once and read articles with it: the API the CLI, service and scorer call.

Text flows one way: sentences with offsets -> one batched encoder pass (length-sorted, dynamic
padding) -> heads -> labels and spans -> speakers and mentions across each article -> results.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.torch import load_file
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from models.encoder import ModelFolderError, MultiHeadModel, load_encoder_config
from models.quotations import apply_quotation_marks, name_whole_quotations
from models.runtime import FALLBACK_MARGIN, Backend, TorchBackend, pad, pad_targets, plan_batches
from models.schema import (
    Attribution,
    ModelConfig,
    ModelConfigError,
    SentenceResult,
    Span,
    TargetStance,
)
from models.segment import split_sentences
from models.spans import Encoded, encode, span_token_mask, tags_to_spans
from models.speakers import MentionFinder, resolve_speakers
from models.transcripts import continue_answers

CONFIG_FILE = "sayso.json"
WEIGHTS_FILE = "model.safetensors"
BUILD_HINT = "build one with `sayso train` (or run `sayso serve`, which builds the default model)"


class UnknownTargetError(ValueError):
    """A requested target the model was not trained for."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Replace lone UTF-16 surrogates (which JSON escapes can carry) with U+FFFD, one for one,
    so offsets stay valid and every later encode to UTF-8 succeeds."""
    return _SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class SentenceInput:
    """A sentence to classify; start/end are offsets into its article, None for pre-split input."""

    text: str
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_text(self.text))


def default_model_dir() -> Path:
    """`SAYSO_MODEL_DIR`, or artifacts/default-model in the project folder (beside models/)."""
    env = os.environ.get("SAYSO_MODEL_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "artifacts" / "default-model"


def read_model_config(path: Path) -> ModelConfig:
    config_path = path / CONFIG_FILE
    if not path.is_dir():
        raise ModelFolderError(f"no model folder at {path}: {BUILD_HINT}")
    if not config_path.is_file():
        raise ModelFolderError(f"{path} is not a sayso model folder (no {CONFIG_FILE}): {BUILD_HINT}")
    try:
        data = json.loads(config_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelConfigError(f"{config_path}: not valid JSON ({exc})") from None
    return ModelConfig.from_json(data)


def encode_sentences(
    tokenizer: PreTrainedTokenizerBase,
    config: ModelConfig,
    mentions: MentionFinder,
    texts: Sequence[str],
    contexts: Sequence[str],
) -> list[Encoded]:
    """Tokens, offsets and, per target, the tokens that name it (for target-aware stance)."""
    encoded = encode(tokenizer, texts, contexts, config.max_length, config.context_tokens)
    for enc, text in zip(encoded, texts, strict=True):
        spans = [mentions.spans(text, t) for t in config.target_names]
        enc.target_masks = [span_token_mask(enc, s) for s in spans]
        enc.targets_named = [bool(s) for s in spans]
    return encoded


def rescale_neutral(stance_probs: np.ndarray, scale: float, neutral_index: int) -> np.ndarray:
    """Stance probabilities [..., stances] with P(neutral) times `scale` (a model's calibrated
    `stance_neutral_scale`), renormalised."""
    if scale == 1.0 or not stance_probs.size:
        return stance_probs
    scaled = stance_probs.copy()
    scaled[..., neutral_index] *= scale
    return scaled / scaled.sum(-1, keepdims=True)


class Classifier:
    """A loaded sayso model; thread-compatible for reads. One call at a time: a call spreads its
    batches over the backend's workers itself."""

    def __init__(
        self,
        config: ModelConfig,
        tokenizer: PreTrainedTokenizerBase,
        backend: Backend,
        max_tokens_per_batch: int = 8192,
        max_batch: int = 16,
    ) -> None:
        self.config = config
        self.tokenizer = tokenizer
        self.backend = backend
        self.max_tokens_per_batch = max_tokens_per_batch
        self.max_batch = max_batch
        self.mentions = MentionFinder(config.targets)
        self._pool = (
            ThreadPoolExecutor(backend.workers, thread_name_prefix="sayso-forward") if backend.workers > 1 else None
        )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        threads: int | None = None,
        runtime: str = "torch",
        int8_fallback_margin: float = FALLBACK_MARGIN,
        **batching: int,
    ) -> Classifier:
        """Load a model folder for the `torch` (fp32) or `onnx-int8` runtime; `int8_fallback_margin`
        is how close to a flip an int8 decision must be to be run again in fp32."""
        path = Path(path) if path else default_model_dir()
        config = read_model_config(path)
        if runtime == "onnx-int8":
            from models.onnx_runtime import load_onnx_classifier

            return load_onnx_classifier(path, threads, int8_fallback_margin, **batching)
        if runtime != "torch":
            raise ValueError(f"unknown runtime {runtime!r} (expected torch or onnx-int8)")
        missing = [f for f in (WEIGHTS_FILE, "config.json", "tokenizer.json") if not (path / f).is_file()]
        if missing:
            raise ModelFolderError(f"model folder {path} is incomplete (missing {', '.join(missing)}): {BUILD_HINT}")
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model = MultiHeadModel.from_encoder_config(
            load_encoder_config(path),
            len(config.type_labels),
            len(config.targets),
            len(config.stance_labels),
            len(config.tag_labels),
        )
        model.load_state_dict(load_file(str(path / WEIGHTS_FILE)))
        return cls(config, tokenizer, TorchBackend(model, threads), **batching)

    # -- public API ----------------------------------------------------------------------------

    def classify_text(self, text: str, targets: Sequence[str] | None = None) -> list[SentenceResult]:
        """Split an article into sentences and classify them."""
        sentences = [SentenceInput(s.text, s.start, s.end) for s in split_sentences(clean_text(text))]
        return self.classify_documents([sentences], targets)[0]

    def classify_sentences(
        self, sentences: Sequence[str], targets: Sequence[str] | None = None
    ) -> list[SentenceResult]:
        """Classify pre-split sentences of one article, in order."""
        return self.classify_documents([[SentenceInput(s) for s in sentences]], targets)[0]

    def classify_documents(
        self, documents: Sequence[Sequence[SentenceInput]], targets: Sequence[str] | None = None
    ) -> list[list[SentenceResult]]:
        """Classify several articles in one batched pass; results keep each article's order."""
        target_names = self.check_targets(targets)
        flat = [(d, i, s) for d, doc in enumerate(documents) for i, s in enumerate(doc)]
        texts = [s.text for _, _, s in flat]
        contexts = [documents[d][i - 1].text if i > 0 else "" for d, i, _ in flat]
        encoded = encode_sentences(self.tokenizer, self.config, self.mentions, texts, contexts)
        type_probs, stance_probs, mention_probs, tag_probs = self.forward(encoded)
        results: list[list[SentenceResult]] = [[] for _ in documents]
        per_doc: list[list[int]] = [[] for _ in documents]
        for n, (d, i, sentence) in enumerate(flat):
            results[d].append(
                self._decode(i, sentence, encoded[n], type_probs[n], stance_probs[n], tag_probs[n], target_names)
            )
            per_doc[d].append(n)
        for doc, rows in zip(results, per_doc, strict=True):
            apply_quotation_marks(doc)
            continue_answers(doc)
            self._resolve_article(doc, [mention_probs[n] for n in rows], [encoded[n].targets_named for n in rows])
            name_whole_quotations(doc)
        return results

    def check_targets(self, targets: Sequence[str] | None) -> list[str]:
        known = self.config.target_names
        if targets is None:
            return known
        unknown = [t for t in targets if t not in known]
        if unknown:
            raise UnknownTargetError(
                f"unknown target(s) {', '.join(map(repr, unknown))}; this model knows {', '.join(known)}"
            )
        return [t for t in known if t in targets]

    def forward(self, encoded: Sequence[Encoded]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
        """Run the backend over length-sorted batches; returns per-sentence probabilities in input order."""
        n = len(encoded)
        type_probs = np.zeros((n, len(self.config.type_labels)), dtype=np.float32)
        stance_probs = np.zeros((n, len(self.config.targets), len(self.config.stance_labels)), dtype=np.float32)
        mention_probs = np.zeros((n, len(self.config.targets)), dtype=np.float32)
        tag_probs: list[np.ndarray] = [np.empty(0)] * n
        lengths = [len(e.input_ids) for e in encoded]

        def run_batch(batch: list[int]) -> None:
            rows = [encoded[i] for i in batch]
            ids = pad([r.input_ids for r in rows], self.tokenizer.pad_token_id or 0)
            attention = (np.arange(ids.shape[1]) < np.array([len(r.input_ids) for r in rows])[:, None]).astype(np.int64)
            sentence = pad([r.sentence_mask for r in rows])
            targets = pad_targets([r.target_masks for r in rows], ids.shape[1])
            t, s, m, g = self.backend.run(ids, attention, sentence, targets)
            for j, index in enumerate(batch):  # each batch writes its own rows: no lock needed
                type_probs[index] = t[j]
                stance_probs[index] = s[j]
                mention_probs[index] = m[j]
                tag_probs[index] = g[j, : lengths[index]]

        batches = plan_batches(lengths, self.max_tokens_per_batch, self.max_batch)
        if self._pool is not None and len(batches) > 1:
            list(self._pool.map(run_batch, batches))  # list() re-raises a batch's exception here
        else:
            for batch in batches:
                run_batch(batch)
        neutral = self.config.stance_labels.index("neutral")
        stance_probs = rescale_neutral(stance_probs, self.config.stance_neutral_scale, neutral)
        return type_probs, stance_probs, mention_probs, tag_probs

    # -- decoding ------------------------------------------------------------------------------

    def _decode(
        self,
        index: int,
        sentence: SentenceInput,
        encoded: Encoded,
        type_p: np.ndarray,
        stance_p: np.ndarray,
        tag_p: np.ndarray,
        target_names: list[str],
    ) -> SentenceResult:
        labels = self.config.type_labels
        type_label = labels[int(type_p.argmax())]
        attribution = None
        if type_label == "quote":
            found = tags_to_spans(sentence.text, encoded, tag_p)
            spans = {k: (Span(v[0], v[1], sentence.text[v[0] : v[1]]) if v else None) for k, v in found.items()}
            span_scores = [v[2] for v in found.values() if v]
            quote_p = float(type_p[labels.index("quote")])
            score = quote_p * (float(np.mean(span_scores)) if span_scores else 1.0)
            attribution = Attribution(spans["source"], spans["cue"], spans["content"], None, min(score, 1.0))
        stance = {}
        all_targets = self.config.target_names
        for name in target_names:
            p = stance_p[all_targets.index(name)]
            stance[name] = TargetStance(
                label=self.config.stance_labels[int(p.argmax())],
                scores={lab: float(v) for lab, v in zip(self.config.stance_labels, p, strict=True)},
                mentioned=False,
            )
        return SentenceResult(
            index,
            sentence.text,
            sentence.start,
            sentence.end,
            type_label,
            {lab: float(v) for lab, v in zip(labels, type_p, strict=True)},
            attribution,
            stance,
        )

    def _resolve_article(
        self, results: list[SentenceResult], mention_probs: list[np.ndarray], named: list[list[bool]]
    ) -> None:
        """Speakers across the article; `mentioned` is the alias rule or the mention head, so known
        names are never missed and anaphora ("both governments", "its troops") is still caught."""
        sources = [r.attribution.source.text if r.attribution and r.attribution.source else None for r in results]
        speakers = resolve_speakers([r.text for r in results], [r.attribution is not None for r in results], sources)
        names = self.config.target_names
        for result, source, speaker, head, hits in zip(results, sources, speakers, mention_probs, named, strict=True):
            if result.attribution:
                result.attribution.speaker = speaker
            flags = self.mentions.find(result.text, source, speaker, hits)
            for name, stance in result.stance.items():
                stance.mentioned = flags[name] or bool(head[names.index(name)] >= 0.5)
