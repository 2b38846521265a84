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
# Content-farm copies of a few archive articles, made by the test-data generator.
{
  .venv/bin/unspin generate samples/archive/coastal-wire --kind spun --rate 0.4 --seed 7
  .venv/bin/unspin generate samples/archive/valley-tribune --kind partial --rate 0.3 --seed 8
  .venv/bin/unspin generate samples/archive/meridian-daily --kind stitched --rate 0.3 --seed 9
  .venv/bin/unspin generate samples/archive/lakeshore-ledger --kind homoglyph --rate 0.5 --seed 10
} > .demo/suspects.jsonl
.venv/bin/unspin check samples/suspects/handmade .demo/suspects.jsonl --db .demo/archive.db
