"""The rewritten-copy kinds of the benchmark, scored against hand-written fixtures.

``samples/rewrites/<kind>/<outlet>/<slug>.txt`` retells
``samples/corpus/<outlet>/<slug>.txt`` (see ``samples/rewrites/README.md``).
The corpus articles are indexed with the benchmark's archive, under the id
``<outlet>/<slug>.txt``, and each fixture is a query:

- ``rewritten-light``, ``rewritten-heavy``, ``summary``: the source is the
  corpus article and the verdict ``rewritten``;
- ``retold``: an independent report of the same event (the same names,
  numbers and often a quote): a negative, ``independent`` expected.

Unlike the generated kinds, these are fixed texts: every run scores all of
them, whatever ``--per-cell`` says.
"""

from __future__ import annotations

from pathlib import Path

from bench.kinds import KindSet, Query
from unspin.model import Document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REWRITE_KINDS = {"light": "rewritten-light", "heavy": "rewritten-heavy", "summary": "summary"}
RETOLD_KIND = "retold"
"""Same-event retellings of the fixtures' sources: a negative kind."""
TARGETS = {
    "rewritten-light": (0.98, 0.95),
    "rewritten-heavy": (0.95, 0.90),
    "summary": (0.85, 0.80),
}
"""Issue 13's targets per kind: (recall@1, share of verdicts ``rewritten``)."""
TARGET_RETOLD_FALSE = 0.01


def rewrite_kinds(samples: Path = SAMPLES) -> KindSet:
    """The corpus articles to index, and one query per fixture whose source is there."""
    result = KindSet()
    corpus = samples / "corpus"
    for path in sorted(corpus.glob("*/*.txt")):
        source_id = path.relative_to(corpus).as_posix()
        result.archive.append(Document(source_id, path.read_text(encoding="utf-8")))
    indexed = {d.id for d in result.archive}
    for folder, kind in (*REWRITE_KINDS.items(), ("independent", RETOLD_KIND)):
        for path in sorted((samples / "rewrites" / folder).glob("*/*.txt")):
            source_id = path.relative_to(samples / "rewrites" / folder).as_posix()
            if source_id not in indexed:
                continue
            text = path.read_text(encoding="utf-8")
            query = Document(f"q-{kind}-{source_id}", text)
            if kind == RETOLD_KIND:
                result.queries.append(Query(kind, 0.0, query, [], "independent"))
            else:
                result.queries.append(Query(kind, 0.0, query, [source_id], "rewritten"))
    return result
