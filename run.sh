#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./run.sh        install (first time), build and evaluate the default model if absent, serve it
#   ./run.sh test   install (first time), lint (ruff, hadolint) and run the test suite
# Anything else is passed to the `sayso` command: ./run.sh predict --input in.jsonl --output out.jsonl
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/sayso ] || [ pyproject.toml -nt .venv/.installed ]; then
  echo "installing into .venv (first run only)..." >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  # The CPU build of torch; any other torch spec pulls gigabytes of CUDA.
  .venv/bin/pip install --quiet torch==2.13.0
  .venv/bin/pip install --quiet -e ".[dev,ray]"
  touch .venv/.installed
fi
case "${1:-serve}" in
  test)
    shift
    .venv/bin/ruff check .
    .venv/bin/hadolint Dockerfile
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    [ $# -gt 0 ] || set -- serve
    exec .venv/bin/sayso "$@"
    ;;
esac
