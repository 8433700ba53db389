"""A non-editable install (the Docker image) carries only the files pyproject.toml declares."""

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_tracked_file_the_packages_read_is_declared_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared: dict[str, list[str]] = config["tool"]["setuptools"]["package-data"]
    packages = config["tool"]["setuptools"]["packages"]["find"]["include"]
    tracked = subprocess.run(
        ["git", "ls-files", *[p.rstrip("*") for p in packages]], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    undeclared = []
    for name in tracked:
        package, _, inside = name.partition("/")
        if name.endswith(".py"):
            continue
        if not any(fnmatch.fnmatch(inside, pattern) for pattern in declared.get(package, [])):
            undeclared.append(name)
    assert undeclared == []
