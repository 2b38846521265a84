#!/usr/bin/env bash
# Rebuilds the detection model that ships in the package, from the project's own
# fictional articles (samples/archive, samples/corpus and samples/registers, 260 in all). Run it
# after changing the detector's features or the spinner; a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/unspin index samples/archive samples/corpus samples/registers --db "$work/articles.db"
.venv/bin/unspin train --db "$work/articles.db" --out src/unspin/data/detect-model.json.gz
