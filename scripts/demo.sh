#!/usr/bin/env bash
# The main job on the bundled sample data: build an index of the sample
# archive, make spun copies with the test-data generator, and check them
# together with the hand-made suspects.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .demo
rm -f .demo/archive.db .demo/archive.db-wal .demo/archive.db-shm
.venv/bin/unspin index samples/archive --db .demo/archive.db
.venv/bin/unspin generate samples/archive/coastal-wire --kind spun --rate 0.4 --seed 7 > .demo/suspects.jsonl
.venv/bin/unspin check samples/suspects/handmade .demo/suspects.jsonl --db .demo/archive.db
