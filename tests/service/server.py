"""A real `sayso serve` subprocess on a free loopback port, for the process, load and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(model: Path, log_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start the server, wait until /readyz answers 200, and kill it afterwards if still running."""
    port = free_port()
    env = {**os.environ, "SAYSO_THREADS": "1", "SAYSO_MAX_WAIT_MS": "2"}
    with open(log_path, "w") as log:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "sayso.cli", "serve", "--model", str(model), "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert process.poll() is None, log_path.read_text()
                time.sleep(0.2)
            else:
                raise AssertionError("server did not become ready")
            yield process, url
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
