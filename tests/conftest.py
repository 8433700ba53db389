"""Session fixtures: a tiny random-weight encoder and a tiny sayso model trained from it once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel

from models.encoder import packaged_base_path

DATA = Path(__file__).parent / "data"
MINI_CORPUS = DATA / "mini_corpus.jsonl"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with random weights and the real tokenizer, as safetensors."""
    folder = tmp_path_factory.mktemp("tiny-base")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(str(folder))
    for name in TOKENIZER_FILES:
        source = packaged_base_path() / name
        if source.is_file():
            shutil.copy(source, folder / name)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tiny_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sayso model folder trained for a few steps on the mini corpus (the training smoke test)."""
    from training.train import TrainingArguments, train

    folder = tmp_path_factory.mktemp("tiny-model") / "model"
    train(
        TrainingArguments(
            output_dir=str(folder),
            data=[str(MINI_CORPUS)],
            base=str(tiny_base),
            epochs=2,
            batch_size=4,
            dev_fraction=0.5,
            threads=1,
            frozen_layers=1,  # the tiny encoder has two layers: one stays fixed, one trains
        )
    )
    return folder


@pytest.fixture(scope="session")
def classifier(tiny_model: Path):
    from models.classifier import Classifier

    return Classifier.load(tiny_model, threads=1)
