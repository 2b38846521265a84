"""The archive index: original articles and their fingerprints in one SQLite file.

Why SQLite: one file, no server, crash-safe transactions, and readers that
keep working while a writer adds documents (WAL mode); :mod:`unspin.storage`
opens it. The index is three parts:

- :mod:`~unspin.index.documents` keeps each article as given, its edition
  group (the documents carrying one story word for word) and a full-text
  index for search;
- :mod:`~unspin.index.postings` keeps which groups hold each fingerprint
  hash, in sorted *runs*, and ``common`` lists the fingerprints too common
  to keep postings for;
- :mod:`~unspin.index.planner` decides, from the runs' sizes alone, where a
  batch's postings go and which runs to merge; :mod:`~unspin.index.layout`
  holds its tunables.

Why runs: the postings of a million documents are a hundred million (hash,
document) pairs in random hash order. Kept in one B-tree, every batch
inserts into pages all over it, so each transaction rewrites most of the
tree and the build slows down as the index grows (quadratic: the 1M build
fell from 580 to 235 documents/s before half way). Instead, as in a
log-structured merge tree:

- each batch writes its postings, sorted, into a new run table
  (``postings_<n>``, a clustered WITHOUT ROWID B-tree), which is a sequential
  append; a small batch goes into the newest run while that run is still
  small;
- runs of about the same size are merged, ``fan_in`` at a time, so there
  are never more than a dozen or so;
- when the newer runs together hold half as many postings as the *main* run
  (the oldest, largest one), everything is merged into a new main run. A
  merge reads the runs in key order and writes the new run in key order, so
  it costs one sequential pass, and the whole build rewrites each posting
  only a few times.

The view ``postings`` unites the runs; a lookup is one seek per run.

Documents are added in batches, each batch one transaction holding the
documents, their full text and their postings, and each merge is one
transaction too. A run killed at any moment therefore leaves whole
documents or none and every posting in exactly one run, and a rerun picks
up where it stopped because ids already present are skipped.

Size at scale (millions of documents): a posting stores the fingerprint's
top 32 bits (a 4-byte SQLite integer instead of 8; the rare collision only
adds a stray vote, which retrieval's two-shared-fingerprints rule and the
aligner filter out), pages are 16 KiB (an article no longer leaves most of a
4 KiB page empty), and fingerprints found in more than
:data:`~unspin.index.layout.COMMON_DF` documents are listed in ``common``
and their postings dropped: retrieval ignores them anyway, and in a large
archive they are a third of all postings. Counting them is part of every
merge into the main run (the only time all postings pass by in hash order),
from ``prune_from`` documents on; their postings go at the next such merge,
which rewrites them anyway, except after the first count, which finds so
many that the main run is written again at once. Space freed by merges is
reused, and given back to the file system at the end of each
:meth:`ArchiveIndex.add`.
"""

from unspin.index.archive import SCHEMA_VERSION, ArchiveIndex
from unspin.index.documents import AddStats
from unspin.index.layout import ADD_BATCH, COMMON_DF, IndexLayout

__all__ = ["ADD_BATCH", "COMMON_DF", "SCHEMA_VERSION", "AddStats", "ArchiveIndex", "IndexLayout"]
