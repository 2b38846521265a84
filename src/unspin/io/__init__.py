"""The input layer: every command reads every format through here.

:func:`read_documents` takes files, folders and glob patterns and yields a
:class:`~unspin.model.Document` for each article and a :class:`BadRecord`
for each file, line, row or crawl record it cannot use, then carries on:
input from scrapers and archives is often broken (wrong encodings,
truncated lines and gzip members, binary files with a text extension,
hostile HTML), and nothing here raises on it.

=========================  ==================================================
``.txt``                   one article (UTF-8, or UTF-16 with a BOM)
``.html``, ``.htm``        one article: the page's main text (trafilatura)
``.jsonl``, ``.csv``,      one article per record: ``id``, ``text`` and
``.parquet``               optional ``url``, ``title``, ``site``, ``published``
``.warc``, ``.warc.gz``    one article per HTML response (id: its URL)
=========================  ==================================================

>>> from unspin.io import read_documents, BadRecord
>>> for item in read_documents(["archive/", "crawl.warc.gz"]):  # doctest: +SKIP
...     print(item if isinstance(item, BadRecord) else item.id)
"""

from unspin.io.files import atomic_write
from unspin.io.formats import SUFFIX_LIST, SUPPORTED_SUFFIXES
from unspin.io.records import DEFAULT_MAX_DOCUMENT_BYTES, BadRecord, Item, record_to_document
from unspin.io.text import extract_html, read_document_stdin
from unspin.io.walk import (
    InputFile,
    estimate_records,
    find_inputs,
    read_documents,
    read_file,
    walk,
)

__all__ = [
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "SUFFIX_LIST",
    "SUPPORTED_SUFFIXES",
    "BadRecord",
    "InputFile",
    "Item",
    "atomic_write",
    "estimate_records",
    "extract_html",
    "find_inputs",
    "read_document_stdin",
    "read_documents",
    "read_file",
    "record_to_document",
    "walk",
]
