"""Backends that run the multi-head model on a padded batch, and the one batching rule.

A backend takes int64 arrays (input_ids, attention_mask, sentence_mask) and returns
probabilities as numpy arrays, so the decoding code never sees torch.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import torch

from models.encoder import MultiHeadModel

Probabilities = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
# onnx-int8: rows whose type or stance top-two probability gap is under this run again in fp32
# (chosen on held-out text; see OnnxBackend).
FALLBACK_MARGIN = 0.15


class Backend(Protocol):
    name: str
    workers: int  # batches run at once, each on one thread of its own

    def run(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, sentence_mask: np.ndarray, target_mask: np.ndarray
    ) -> Probabilities:
        """Type probs [B, types], stance probs [B, targets, stances], mention probs [B, targets],
        tag probs [B, L, tags]."""
        ...


class TorchBackend:
    name = "torch"

    def __init__(self, model: MultiHeadModel, threads: int | None = None) -> None:
        # Batches of ~30 tokens are too small to split well across threads: two batches side by
        # side, each single-threaded, run ~1.2x faster than one batch on two threads.
        self.workers = inference_workers(threads)
        torch.set_num_threads(1)
        self.model = model.eval()

    def run(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, sentence_mask: np.ndarray, target_mask: np.ndarray
    ) -> Probabilities:
        with torch.inference_mode():
            type_logits, stance_logits, mention_logits, tag_logits = self.model(
                torch.from_numpy(input_ids),
                torch.from_numpy(attention_mask),
                torch.from_numpy(sentence_mask),
                torch.from_numpy(target_mask),
            )
            return (
                type_logits.softmax(-1).float().numpy(),
                stance_logits.softmax(-1).float().numpy(),
                mention_logits.sigmoid().float().numpy(),
                tag_logits.softmax(-1).float().numpy(),
            )


def inference_workers(threads: int | None) -> int:
    """`threads` CPU threads for inference, or one per CPU this process may use."""
    if threads:
        return threads
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def plan_batches(lengths: Sequence[int], max_tokens: int = 8192, max_batch: int = 16) -> list[list[int]]:
    """Group indices into batches of similar length (sorted), each at most `max_batch` items and
    `max_tokens` padded tokens, so padding waste stays small."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        # Sorted ascending, so this item is the longest of its batch.
        if current and (len(current) + 1 > max_batch or lengths[index] * (len(current) + 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def pad_targets(rows: Sequence[Sequence[Sequence[int]]], width: int) -> np.ndarray:
    """[batch, targets, width] int64 masks, zero-padded."""
    n_targets = len(rows[0]) if rows else 0
    flat = pad([mask for masks in rows for mask in masks], width=width)
    return flat.reshape(len(rows), n_targets, width)


def pad(rows: Sequence[Sequence[int]], value: int = 0, width: int | None = None) -> np.ndarray:
    """[rows, width] int64, right-padded with `value`; `width` defaults to the longest row.
    One boolean-mask assignment instead of a Python loop of row copies: padding runs on the
    forward workers while holding the GIL, so it competes with the server's other Python work."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    width = int(lengths.max(initial=0)) if width is None else width
    out = np.full((len(rows), width), value, dtype=np.int64)
    filled = np.arange(width) < lengths[:, None]
    out[filled] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    return out
