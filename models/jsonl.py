"""JSON Lines input that fails with the file, the line and the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class InputFileError(ValueError):
    """A bad input row or file: `path:line: reason` (line 0 for the whole file)."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded row), skipping blank lines; streamed line by line."""
    path = Path(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the `with` below; opening is what may fail
    except OSError as exc:
        raise InputFileError(path, 0, f"cannot read file: {exc.strerror or exc}") from None
    with handle:
        for number, line_bytes in enumerate(handle, start=1):
            try:
                line = line_bytes.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputFileError(path, number, f"not valid UTF-8 (byte {exc.start})") from None
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(path, number, f"malformed JSON: {exc.msg} at column {exc.colno}") from None
