"""`sayso score --engine ray` writes what the local engine writes (skipped without the `ray` extra)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ray")

from tests.service.test_archive import make_articles, output_set, read_rows, score, write_jsonl


@pytest.fixture
def local_ray(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import ray

    # Ray 2.60 turns token auth on and writes a token under the home folder otherwise.
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_engine_output_equals_the_local_engine(tiny_model: Path, tmp_path: Path, local_ray: Any) -> None:
    articles = make_articles(8)
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_jsonl(inputs / "a.jsonl", articles[:5])
    write_jsonl(inputs / "b.jsonl", [*articles[5:], {"id": "bad"}])
    common = ["--model", tiny_model, "--shard-size", 2, "--threads", 1]

    assert score(inputs, "--output", tmp_path / "local", *common) == 0
    assert score(inputs, "--output", tmp_path / "ray", *common, "--engine", "ray", "--actors", 2) == 0

    local, distributed = output_set(tmp_path / "local"), output_set(tmp_path / "ray")
    assert local.name == distributed.name
    assert sorted(p.name for p in (local / "sentences").iterdir()) == sorted(
        p.name for p in (distributed / "sentences").iterdir()
    )
    assert read_rows(distributed) == read_rows(local)
    for name in ("errors.jsonl", "speakers.parquet"):
        assert (distributed / name).read_bytes() == (local / name).read_bytes()
    summary = json.loads((distributed / "summary.json").read_text())
    assert summary["this_run"]["engine"] == "ray" and summary["this_run"]["actors"] == 2
    assert summary["this_run"]["actor_cpus"] < 1

    # The same resume rule: a finished Ray job is a no-op for either engine.
    assert score(inputs, "--output", tmp_path / "ray", *common) == 0
