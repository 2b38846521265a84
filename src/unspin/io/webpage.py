"""HTML pages: their encoding, and their main article text and metadata (by trafilatura).

trafilatura (with lxml) takes most of a second to import, so it is imported
only when a page is actually extracted: commands that never read HTML never
pay for it.
"""

from __future__ import annotations

import codecs
import re

from unspin.errors import InputError
from unspin.model import Document

_UTF8_BOM = codecs.BOM_UTF8
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-z0-9_.:-]{1,40})""", re.I)
# Browsers (WHATWG Encoding) read these labels as windows-1252, and pages rely on it.
_AS_CP1252 = frozenset({"ascii", "iso8859-1"})
# Python codecs that no web page means: they rewrite text or fail oddly.
_REFUSED_CODECS = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "utf-7"})


def decode_html(data: bytes) -> str:
    """Decode an HTML page: a BOM, else the declared charset, else UTF-8, else windows-1252."""
    if data.startswith(_UTF8_BOM):
        return data[len(_UTF8_BOM) :].decode("utf-8", errors="replace")
    for encoding in (_declared_charset(data[:4096]), "utf-8"):
        if encoding is None:
            continue
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeError:
            continue
    # windows-1252 leaves five bytes undefined; a replacement character beats losing the page.
    return data.decode("cp1252", errors="replace")


def extract_article(html: str, doc_id: str, where: str) -> Document:
    """The main article text and metadata of a page; raises InputError."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html, include_comments=False, favor_recall=True, with_metadata=True
        )
        fields = result.as_dict() if isinstance(result, trafilatura.settings.Document) else {}
    except Exception as error:  # hostile markup can break any part of the parser
        raise InputError(where, f"could not parse HTML ({type(error).__name__})") from None
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "no article text found in HTML")
    return Document(
        id=doc_id,
        text=text,
        url=_optional_str(fields.get("url")),
        title=_optional_str(fields.get("title")),
        site=_optional_str(fields.get("sitename")) or _optional_str(fields.get("hostname")),
        published=_optional_str(fields.get("date")),
    )


def _declared_charset(head: bytes) -> str | None:
    """The Python codec for the page's ``<meta charset>``, or None when absent or unusable."""
    found = _CHARSET_RE.search(head)
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in _REFUSED_CODECS or name.startswith(("utf-16", "utf-32")):
        # A meta tag read from ASCII-compatible bytes cannot truly be UTF-16 (WHATWG says UTF-8).
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
