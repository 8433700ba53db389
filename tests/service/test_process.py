"""A real `sayso serve` process on loopback: bounded load, answers matched to requests, memory,
and graceful shutdown on SIGTERM."""

import asyncio
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.server import running_server

REQUESTS, CLIENTS = 2000, 32
RSS_GROWTH_LIMIT_MIB = 150


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def server(tiny_model: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    with running_server(tiny_model, tmp_path / "server.log") as started:
        yield started


async def _load(url: str) -> list[str]:
    problems: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(REQUESTS):
        queue.put_nowait(i)

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            sentences = [f"Request {i} sentence {j} about Kosovo and NATO." for j in range(1 + i % 4)]
            response = await http.post("/v1/classify", json={"id": f"r{i}", "sentences": sentences})
            if response.status_code != 200:
                problems.append(f"{i}: {response.status_code}")
                continue
            body = response.json()
            if body["id"] != f"r{i}" or [s["text"] for s in body["sentences"]] != sentences:
                problems.append(f"{i}: answer does not match its request")

    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await asyncio.gather(*(client(http) for _ in range(CLIENTS)))
    return problems


def test_load_on_loopback(server) -> None:
    process, url = server
    asyncio.run(_load(url))  # warm-up pass: allocator and caches settle
    before = rss_mib(process.pid)
    problems = asyncio.run(_load(url))
    after = rss_mib(process.pid)
    assert problems == []
    assert after - before < RSS_GROWTH_LIMIT_MIB, f"RSS grew from {before:.0f} to {after:.0f} MiB"
    metrics = httpx.get(f"{url}/metrics").text
    assert 'route="/v1/classify",status="200"' in metrics


def test_sigterm_lets_requests_in_flight_finish(server, tmp_path: Path) -> None:
    process, url = server
    sentences = [f"Sentence {j} of a long article about the bridge in Mitrovica." for j in range(1500)]

    async def slow_then_term() -> httpx.Response:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            request = asyncio.create_task(http.post("/v1/classify", json={"sentences": sentences}))
            await asyncio.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            return await request

    response = asyncio.run(slow_then_term())
    assert response.status_code == 200 and len(response.json()["sentences"]) == 1500
    # uvicorn re-raises SIGTERM after its graceful shutdown, so the exit status is the signal's.
    assert process.wait(30) in (0, -signal.SIGTERM)
    assert "Finished server process" in (tmp_path / "server.log").read_text()
