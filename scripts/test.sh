#!/usr/bin/env bash
# Sets the machine up (scripts/setup.sh), then runs the linters and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/pytest "$@"
