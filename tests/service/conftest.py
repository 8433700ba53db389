from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings


def make_client(model_dir: Path, **overrides) -> TestClient:
    settings = Settings(model_dir=model_dir, threads=1, **overrides)
    return TestClient(create_app(settings))


@pytest.fixture(scope="session")
def client(tiny_model: Path) -> Iterator[TestClient]:
    with make_client(tiny_model, max_sentences=50, max_documents=3, max_body_bytes=20_000) as test_client:
        wait_ready(test_client)
        yield test_client


def wait_ready(test_client: TestClient, attempts: int = 200) -> None:
    import time

    for _ in range(attempts):
        if test_client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError("service never became ready")
