"""Backends that run the multi-head model on a padded batch, and the one batching rule.

A backend takes int64 arrays (input_ids, attention_mask, sentence_mask) and returns
probabilities as numpy arrays, so the decoding code never sees torch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import torch

from models.encoder import MultiHeadModel

Probabilities = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


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
    out = np.zeros((len(rows), len(rows[0]) if rows else 0, width), dtype=np.int64)
    for i, masks in enumerate(rows):
        for t, mask in enumerate(masks):
            out[i, t, : len(mask)] = mask
    return out


def pad(rows: Sequence[Sequence[int]], value: int = 0) -> np.ndarray:
    width = max(len(r) for r in rows)
    out = np.full((len(rows), width), value, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out
