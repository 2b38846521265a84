"""Build each kind of content-farm variant from source documents."""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from unspin.model import Document
from unspin.normalize import sentence_spans
from unspin.synthetic import boilerplate
from unspin.synthetic.disguise import Edit, encoding_loss_edits, homoglyph_edits, rewrite
from unspin.synthetic.ground_truth import Swap, Variant, VariantKind
from unspin.synthetic.spinner import Spinner

PARTIAL_SHARE = (0.25, 0.60)
"""A partial copy reuses this share of its source's sentences."""
STITCH_SHARE = (0.20, 0.50)
"""Each passage of a stitched copy takes this share of its source's sentences."""

EXCERPT_WORDS = 40
"""An excerpt (and each passage of a stitched copy of more than three sources)
has at least this many words outside quotation marks, when the source has such
a run of sentences."""
STYLES: dict[str, tuple[str, ...]] = {
    "reordered": ("reversed", "shuffled", "paragraphs"),
    "reflowed": ("joined", "wrapped", "lines", "punctuation", "caps"),
    "repeated": ("block", "paragraph", "sentences", "twice"),
    "bullets": ("flattened", "rebulleted"),
}
"""The styles of the kinds that have them (``make_variant(style=...)``)."""
SIZED_KINDS = ("stitched", "excerpt", "bullets")
"""Kinds that take ``make_variant(size=...)``."""
MARKERS = ("■", "•", "●", "▪", "–", "-", "*", "1.")
"""List markers: bullet characters, and ``1.`` for a numbered list."""

_MARKER_RE = re.compile(r"[ \t]*(?:[■•●▪–*-]|\d{1,3}[.)])[ \t]+(?=\S)")
_QUOTED_RE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
_WORD_RE = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_ATTRIBUTION_RE = re.compile(
    r"(?:[A-Z][\w'’.-]*,?\s+){1,4}(?:said|says|added|adds|asked|asks|told|explained|noted|wrote)\b"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof gen sen rep gov lt col capt sgt jr sr inc ltd co corp no vs etc "
    "e.g i.e a.m p.m u.s mt ft".split()
)
_HEADINGS = ("Key points", "What we know", "The details", "At a glance", "In brief")


@dataclass(frozen=True, slots=True)
class _Request:
    """What a builder is asked for: the arguments of :func:`make_variant`."""

    sources: Sequence[Document]
    rate: float
    rng: random.Random
    spinner: Spinner
    style: str | None = None
    size: int | None = None


_Builder = Callable[[_Request], Variant]


@functools.cache
def _default_spinner() -> Spinner:
    """One shared spinner, so its word cache serves every call."""
    return Spinner()


def make_variant(
    kind: str,
    sources: Sequence[Document],
    *,
    rate: float = 0.3,
    seed: int = 0,
    spinner: Spinner | None = None,
    style: str | None = None,
    size: int | None = None,
) -> Variant:
    """A ``kind`` variant of ``sources`` with its ground truth.

    Every kind but ``stitched`` and ``excerpt`` uses ``sources[0]`` only;
    ``stitched`` needs two or more (three at most are used unless ``size``
    says how many). The result depends only on the arguments (and the
    lexicon), never on earlier calls.

    The kinds that restructure a copy (their ``style``, drawn at random
    when not given, is one of :data:`STYLES`; at ``rate=0`` they swap no
    word at all):

    - ``reordered``: the source's sentences ``reversed`` or ``shuffled``, or
      its ``paragraphs`` swapped around, then spun;
    - ``reflowed``: spun, then line breaks ``joined`` into one block,
      ``wrapped`` at a fixed width, one sentence on each of its ``lines``,
      ``punctuation`` (every ``. , ! ?`` outside numbers) removed, or ``caps``;
    - ``repeated``: spun, with a ``block`` of paragraphs pasted twice, one
      ``paragraph`` repeated through the text, a few ``sentences`` doubled,
      or the whole text ``twice``;
    - ``bullets``: a list article's items (lines starting with one of
      :data:`MARKERS`; for a prose source, its sentences) spun, ``flattened``
      to paragraphs or ``rebulleted`` with another marker; ``size`` keeps
      that many items (in order; all lines when not given);
    - ``excerpt``: ``size`` (2-4 when not given) consecutive sentences of
      ``sources[0]`` with at least :data:`EXCERPT_WORDS` words, spun and
      set among the paragraphs of ``sources[1]`` (a text that is not a
      source: it is in neither ``source_ids`` nor ``source_spans``), or
      alone without a second document;
    - ``stitched`` with ``size``: passages of that many sources; with more
      than three, each passage is a short excerpt (2-4 sentences, up to 6
      where the sentences are short, with at least :data:`EXCERPT_WORDS`
      words and no quotation), as in a round-up.
    """
    if kind == "independent":
        raise ValueError(
            "make_variant cannot make 'independent' variants: they must be written "
            "by a different author about the same events, not derived from the source"
        )
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"unknown variant kind {kind!r}; expected one of {', '.join(_BUILDERS)}")
    if not sources:
        raise ValueError("make_variant needs at least one source document")
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    if style is not None and style not in STYLES.get(kind, ()):
        known = ", ".join(STYLES.get(kind, ())) or "none"
        raise ValueError(f"unknown style {style!r} for {kind!r} variants; expected one of {known}")
    if size is not None and (kind not in SIZED_KINDS or size < 1):
        raise ValueError(f"size must be a positive count for {', '.join(SIZED_KINDS)} variants")
    return builder(
        _Request(sources, rate, random.Random(seed), spinner or _default_spinner(), style, size)
    )


def _spin(spinner: Spinner, text: str, rate: float, rng: random.Random) -> tuple[str, list[Swap]]:
    spun = spinner.spin(text, rate, seed=rng.getrandbits(64))
    return spun.text, spun.swaps


def _whole(
    kind: VariantKind, source: Document, rate: float, rng: random.Random, spinner: Spinner
) -> tuple[str, list[Swap], Variant]:
    text, swaps = _spin(spinner, source.text, rate, rng)
    base = Variant(
        kind, text, [source.id], rate, swaps, [(source.id, 0, len(source.text))], [(0, len(text))]
    )
    return text, swaps, base


def _verbatim(request: _Request) -> Variant:
    sources, rng = request.sources, request.rng
    source = sources[0]
    text = source.text
    # Scrapers often reflow whitespace; that is still a verbatim copy.
    choice = rng.random()
    if choice < 0.2:
        text = re.sub(r"\n\s*\n", "\n", text)
    elif choice < 0.4:
        text = re.sub(r"[ \t]+", " ", text).strip() + "\n"
    return Variant(
        "verbatim", text, [source.id], 0.0, [], [(source.id, 0, len(source.text))], [(0, len(text))]
    )


def _spun(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    return _whole("spun", sources[0], rate, rng, spinner)[2]


def _sentence_run(text: str, share: tuple[float, float], rng: random.Random) -> tuple[int, int]:
    """Source offsets of a random contiguous run of ``share`` of the sentences."""
    sentences = sentence_spans(text)
    if not sentences:
        return 0, len(text)
    count = len(sentences)
    low = max(1, math.ceil(share[0] * count))
    high = max(low, math.floor(share[1] * count))
    size = rng.randint(low, high)
    first = rng.randint(0, count - size)
    return sentences[first][0], sentences[first + size - 1][1]


def _partial(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    start, end = _sentence_run(source.text, PARTIAL_SHARE, rng)
    text, swaps = _spin(spinner, source.text[start:end], rate, rng)
    return Variant(
        "partial", text, [source.id], rate, swaps, [(source.id, start, end)], [(0, len(text))]
    )


def _stitched(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    if len(sources) < 2:
        raise ValueError("a stitched variant needs at least two sources")
    if request.size is None:
        used = list(sources) if len(sources) <= 3 else rng.sample(list(sources), rng.randint(2, 3))
    elif 2 <= request.size <= len(sources):
        used = rng.sample(list(sources), request.size)
    else:
        raise ValueError(f"a stitched variant of {request.size} sources got {len(sources)}")
    rng.shuffle(used)
    build = _Assembly()
    for number, source in enumerate(used):
        if number:
            build.raw("\n\n")
        if len(used) > 3:
            start, end = _short_passage(source.text, rng)
        else:
            start, end = _sentence_run(source.text, STITCH_SHARE, rng)
        text, passage_swaps = _spin(spinner, source.text[start:end], rate, rng)
        build.piece(source.id, start, end, text, passage_swaps)
    return build.variant("stitched", rate)


def _disguised(
    kind: VariantKind,
    disguise: Callable[[str, random.Random], list[Edit]],
    request: _Request,
) -> Variant:
    """A spun copy with a disguise laid over it (look-alike letters, lost letters)."""
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    text, swaps, base = _whole(kind, sources[0], rate, rng, spinner)
    text, swaps = rewrite(text, swaps, disguise(text, rng))
    return replace(base, text=text, swaps=swaps, copy_spans=[(0, len(text))])


def _boilerplate(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    text, swaps, base = _whole("boilerplate", sources[0], rate, rng, spinner)
    head = boilerplate.header(rng) + "\n\n"
    foot = "\n\n" + boilerplate.footer(rng)
    edits = [(0, 0, head), (len(text), len(text), foot)]
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    if breaks and rng.random() < 0.5:
        at = rng.choice(breaks)
        edits.append((at, at, "\n\n" + boilerplate.interstitial(rng)))
    text, swaps = rewrite(text, swaps, edits)
    # The article runs between the site's header and footer (an interstitial
    # line may sit inside it).
    return replace(base, text=text, swaps=swaps, copy_spans=[(len(head), len(text) - len(foot))])


# -- pieces shared by the restructuring kinds ---------------------------------


@dataclass(slots=True)
class _Assembly:
    """A variant text put together from spun source pieces and plain text."""

    parts: list[str] = field(default_factory=list)
    swaps: list[Swap] = field(default_factory=list)
    source_spans: list[tuple[str, int, int]] = field(default_factory=list)
    copy_spans: list[tuple[int, int]] = field(default_factory=list)
    length: int = 0

    def raw(self, text: str) -> None:
        """Text that comes from no source (separators, markers, a host text)."""
        self.parts.append(text)
        self.length += len(text)

    def piece(self, source_id: str, start: int, end: int, text: str, swaps: list[Swap]) -> None:
        """``text``: the source's ``[start, end)`` as spun, with its swaps."""
        offset = self.length
        self.swaps += [replace(s, start=s.start + offset, end=s.end + offset) for s in swaps]
        self.source_spans.append((source_id, start, end))
        self.copy_spans.append((offset, offset + len(text)))
        self.raw(text)

    def variant(self, kind: VariantKind, rate: float) -> Variant:
        ids = list(dict.fromkeys(span[0] for span in self.source_spans))
        return Variant(
            kind, "".join(self.parts), ids, rate, self.swaps, self.source_spans, self.copy_spans
        )


def _spin_or_keep(
    spinner: Spinner, text: str, rate: float, rng: random.Random
) -> tuple[str, list[Swap]]:
    """Spun text, or at rate 0 the text itself (no filler words either)."""
    if rate == 0.0:
        return text, []
    return _spin(spinner, text, rate, rng)


def _add_piece(
    build: _Assembly,
    source: Document,
    span: tuple[int, int],
    rate: float,
    rng: random.Random,
    spinner: Spinner,
) -> None:
    text, swaps = _spin_or_keep(spinner, source.text[span[0] : span[1]], rate, rng)
    build.piece(source.id, span[0], span[1], text, swaps)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: blocks between blank lines, or lines
    when the text has no blank line; white space trimmed."""
    separator = r"\n[ \t]*\n\s*" if re.search(r"\n[ \t]*\n", text) else r"\n\s*"
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*re.finditer(separator, text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            start = position + len(chunk) - len(chunk.lstrip())
            spans.append((start, position + len(chunk.rstrip())))
        if match:
            position = match.end()
    return spans


def plain_sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, white space trimmed; a line break ends one too.

    The generator's own splitter, kept apart from the one unspin checks
    with, so that the ground truth does not move when that one changes. A
    sentence ends at ``. ! ?`` (closing quotes and brackets included) before
    white space and a capital, a digit or an opening quote, but not after a
    common abbreviation ("Mr.") or an initial ("J.").
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start() + len(line.group()) - len(line.group().lstrip())
        for end in _sentence_ends(line.group()):
            end += line.start()
            if text[start:end].strip():
                spans.append((start, end))
            rest = text[end : line.end()]
            start = end + len(rest) - len(rest.lstrip())
        tail = text[start : line.end()].rstrip()
        if tail.strip():
            spans.append((start, start + len(tail)))
    return spans


def _sentence_ends(line: str) -> list[int]:
    ends: list[int] = []
    for match in _SENTENCE_END_RE.finditer(line):
        following = line[match.end() :].lstrip()
        if not following:
            continue  # The line's end closes the sentence anyway.
        if match.group().startswith(".") and not match.group().startswith(".."):
            before = re.search(r"[\w.'’]+$", line[: match.start()])
            word = before.group().lower() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        if match.group()[-1] in '"”' and _ATTRIBUTION_RE.match(following):
            continue  # '"Why?" Mr Smith asked.' is one sentence.
        if following[0].isupper() or following[0].isdigit() or following[0] in "\"“‘'([$€£¥":
            ends.append(match.end())
    return ends


def paragraph_sentences(text: str) -> list[list[tuple[int, int]]]:
    """Sentence spans of ``text``, grouped by paragraph (no sentence crosses one)."""
    groups: list[list[tuple[int, int]]] = []
    for start, end in paragraph_spans(text):
        spans = plain_sentence_spans(text[start:end]) or [(0, end - start)]
        groups.append([(start + s, start + e) for s, e in spans])
    return groups


def own_words(text: str) -> int:
    """Words outside quotation marks (what a copied passage is measured in)."""
    return len(_WORD_RE.findall(_QUOTED_RE.sub(" ", text)))


def excerpt_span(
    text: str, sentences: int, rng: random.Random, min_words: int = EXCERPT_WORDS
) -> tuple[int, int]:
    """Source offsets of ``sentences`` consecutive sentences with ``min_words`` words.

    Runs with no quotation marks come first (a shared quote is not copying);
    then any run that is long enough; then the runs with the most words.
    """
    spans = [s for group in paragraph_sentences(text) for s in group]
    if not spans:
        return 0, len(text)
    size = min(sentences, len(spans))
    runs = [(spans[i][0], spans[i + size - 1][1]) for i in range(len(spans) - size + 1)]
    counts = [own_words(text[start:end]) for start, end in runs]
    long_enough = [r for r, n in zip(runs, counts, strict=True) if n >= min_words]
    unquoted = [r for r in long_enough if not re.search('["“”]', text[r[0] : r[1]])]
    longest = [r for r, n in zip(runs, counts, strict=True) if n == max(counts)]
    return rng.choice(unquoted or long_enough or longest)


def _short_passage(text: str, rng: random.Random) -> tuple[int, int]:
    """2-4 consecutive sentences with :data:`EXCERPT_WORDS` words and no quotation
    (a sentence or two more where the source's sentences are short)."""
    wanted = rng.randint(2, 4)
    spans = [s for group in paragraph_sentences(text) for s in group]
    for size in range(wanted, min(len(spans), wanted + 2) + 1):
        runs = [(spans[i][0], spans[i + size - 1][1]) for i in range(len(spans) - size + 1)]
        good = [
            (start, end)
            for start, end in runs
            if own_words(text[start:end]) >= EXCERPT_WORDS
            and not re.search('["“”]', text[start:end])
        ]
        if good:
            return rng.choice(good)
    return excerpt_span(text, wanted, rng)


def _chunks(items: list[tuple[int, int]], sizes: list[int]) -> list[list[tuple[int, int]]]:
    groups: list[list[tuple[int, int]]] = []
    position = 0
    for size in sizes:
        if position >= len(items):
            break
        groups.append(items[position : position + size])
        position += size
    if position < len(items):
        groups.append(items[position:])
    return groups


def _moved(count: int, rng: random.Random) -> list[int]:
    """A random permutation of ``range(count)`` that moves something (if it can)."""
    order = list(range(count))
    while count > 1 and order == sorted(order):
        rng.shuffle(order)
    return order


def _assemble_paragraphs(
    source: Document,
    paragraphs: list[list[tuple[int, int]]],
    rate: float,
    rng: random.Random,
    spinner: Spinner,
    kind: VariantKind,
    separator: str = "\n\n",
) -> Variant:
    """Source pieces, spun one by one: joined by spaces inside a paragraph."""
    build = _Assembly()
    for number, paragraph in enumerate(paragraphs):
        if number:
            build.raw(separator)
        for index, span in enumerate(paragraph):
            if index:
                build.raw(" ")
            _add_piece(build, source, span, rate, rng, spinner)
    return build.variant(kind, rate)


# -- reordered ----------------------------------------------------------------


def _reordered(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    style = request.style or rng.choice(STYLES["reordered"])
    paragraphs = paragraph_sentences(source.text)
    sentences = [s for group in paragraphs for s in group]
    if style == "paragraphs" and len(paragraphs) >= 2:
        # Swap a third of the paragraphs around, in pairs.
        order = list(range(len(paragraphs)))
        pairs = max(1, len(paragraphs) // 6)
        chosen = rng.sample(order, 2 * pairs)
        for a, b in zip(chosen[::2], chosen[1::2], strict=True):
            order[a], order[b] = order[b], order[a]
        layout = [[(paragraphs[i][0][0], paragraphs[i][-1][1])] for i in order]
    elif style == "reversed":
        sizes = [len(group) for group in reversed(paragraphs)]
        layout = _chunks(sentences[::-1], sizes)
    else:
        order = _moved(len(sentences), rng)
        sizes = [rng.choice((1, 2, 2, 3)) for _ in sentences]
        layout = _chunks([sentences[i] for i in order], sizes)
    return _assemble_paragraphs(source, layout, rate, rng, spinner, "reordered")


# -- reflowed -----------------------------------------------------------------


def _joined_edits(text: str, rng: random.Random) -> list[Edit]:
    edits: list[Edit] = []
    for match in re.finditer(r"[ \t]*\n\s*", text):
        inside = match.start() > 0 and match.end() < len(text)
        edits.append((match.start(), match.end(), " " if inside else ""))
    return edits


def _wrapped_edits(text: str, rng: random.Random) -> list[Edit]:
    width = rng.randint(60, 80)
    single = rng.random() < 0.5
    edits: list[Edit] = []
    spans = paragraph_spans(text)
    for (_, end), (following, _) in itertools.pairwise(spans):
        edits.append((end, following, "\n" if single else "\n\n"))
    for start, end in spans:
        words = list(re.finditer(r"\S+", text[start:end]))
        line = len(words[0].group())
        for before, word in itertools.pairwise(words):
            size = len(word.group())
            if line + 1 + size > width:
                gap, line = "\n", size
            else:
                gap, line = " ", line + 1 + size
            if text[start + before.end() : start + word.start()] != gap:
                edits.append((start + before.end(), start + word.start(), gap))
    return sorted(edits)


def _lines_edits(text: str, rng: random.Random) -> list[Edit]:
    edits: list[Edit] = []
    spans = [s for group in paragraph_sentences(text) for s in group]
    for (_, end), (following, _) in itertools.pairwise(spans):
        edits.append((end, following, "\n"))
    return edits


def _punctuation_edits(text: str, rng: random.Random) -> list[Edit]:
    edits: list[Edit] = []
    for match in re.finditer(r"[.,!?]", text):
        at = match.start()
        in_number = 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit()
        if not in_number:
            edits.append((at, at + 1, ""))
    return edits


def _caps_edits(text: str, rng: random.Random) -> list[Edit]:
    return [(i, i + 1, c.upper()) for i, c in enumerate(text) if c.upper() != c]


_REFLOW: dict[str, Callable[[str, random.Random], list[Edit]]] = {
    "joined": _joined_edits,
    "wrapped": _wrapped_edits,
    "lines": _lines_edits,
    "punctuation": _punctuation_edits,
    "caps": _caps_edits,
}


def _reflowed(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    style = request.style or rng.choice(STYLES["reflowed"])
    text, swaps = _spin_or_keep(spinner, source.text, rate, rng)
    text, swaps = rewrite(text, swaps, _REFLOW[style](text, rng))
    return Variant(
        "reflowed",
        text,
        [source.id],
        rate,
        swaps,
        [(source.id, 0, len(source.text))],
        [(0, len(text))],
    )


# -- repeated -----------------------------------------------------------------


def _repeated(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    style = request.style or rng.choice(STYLES["repeated"])
    paragraphs = paragraph_sentences(source.text)
    whole = [[(group[0][0], group[-1][1])] for group in paragraphs]
    count = len(whole)
    layout: list[list[tuple[int, int]]]
    if style == "twice":
        layout = whole + whole
    elif style == "block":
        first = rng.randrange(count)
        last = min(count, first + rng.randint(1, 3))
        layout = whole[:last] + whole[first:last] + whole[last:]
    elif style == "paragraph":
        # One paragraph (boilerplate, a pasted line) comes back two or three more times.
        repeated = rng.randrange(max(1, count // 2))
        later = list(range(repeated + 1, count + 1))
        places = sorted(rng.sample(later, min(len(later), rng.randint(2, 3))))
        layout = []
        for position in range(count + 1):
            layout += [whole[repeated]] * places.count(position)
            if position < count:
                layout.append(whole[position])
    else:
        # A few sentences doubled where they stand.
        sentences = [(p, i) for p, group in enumerate(paragraphs) for i in range(len(group))]
        doubled = set(rng.sample(sentences, min(len(sentences), rng.randint(2, 3))))
        layout = []
        for p, group in enumerate(paragraphs):
            if not any((p, i) in doubled for i in range(len(group))):
                layout.append(whole[p])
                continue
            pieces: list[tuple[int, int]] = []
            for i, span in enumerate(group):
                pieces += [span, span] if (p, i) in doubled else [span]
            layout.append(pieces)
    return _assemble_paragraphs(source, layout, rate, rng, spinner, "repeated")


# -- bullets ------------------------------------------------------------------


def list_lines(text: str) -> list[tuple[int, int, str | None]]:
    """Every non-empty line as ``(start, end, marker)``: ``start`` after the
    list marker of a list item (``marker`` its bullet, or ``"1."`` for any
    number), ``None`` for other lines (headline, headings)."""
    lines: list[tuple[int, int, str | None]] = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        marker = _MARKER_RE.match(line)
        start = match.start() + (marker.end() if marker else len(line) - len(line.lstrip()))
        kind = None
        if marker:
            kind = marker.group().strip()
            kind = "1." if kind[0].isdigit() else kind
        lines.append((start, match.start() + len(line.rstrip()), kind))
    return lines


def list_items(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each list item's text (its marker left out)."""
    return [(start, end) for start, end, marker in list_lines(text) if marker]


def bulletize(text: str, rng: random.Random, title: str | None = None) -> str:
    """Rewrite an article as a list: one sentence per item, one item per line.

    The first 8-14 sentences become items behind one marker of
    :data:`MARKERS` (or numbers), some without their final full stop, under
    ``title`` and now and then a heading, both without final punctuation.
    """
    spans = [s for group in paragraph_sentences(text) for s in group]
    count = min(len(spans), rng.randint(8, 14))
    marker = rng.choice(MARKERS)
    lines: list[str] = []
    if title:
        lines.append(title.rstrip(". "))
        if rng.random() < 0.5:
            lines.append("")
    if rng.random() < 0.4:
        lines.append(rng.choice(_HEADINGS))
    for number, (start, end) in enumerate(spans[:count], start=1):
        item = " ".join(text[start:end].split())
        if item.endswith(".") and rng.random() < 0.3:
            item = item[:-1]
        lines.append(f"{number}. {item}" if marker == "1." else f"{marker} {item}")
    return "\n".join(lines)


def _bullets(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    style = request.style or rng.choice(STYLES["bullets"])
    lines = list_lines(source.text)
    items = [(start, end) for start, end, marker in lines if marker]
    markers = [marker for _, _, marker in lines if marker]
    if items:
        kept_lines = [(start, end) for start, end, _ in lines]
    else:  # A prose source: its sentences are the items.
        items = kept_lines = [s for group in paragraph_sentences(source.text) for s in group]
    if request.size is not None and request.size < len(items):
        if rng.random() < 0.5:
            first = rng.randint(0, len(items) - request.size)
            kept_lines = items[first : first + request.size]
        else:
            kept_lines = [items[i] for i in sorted(rng.sample(range(len(items)), request.size))]
    item_set = set(items)
    build = _Assembly()
    if style == "flattened":
        for number, span in enumerate(kept_lines):
            if number:
                build.raw("\n\n")
            _add_piece(build, source, span, rate, rng, spinner)
        return build.variant("bullets", rate)
    marker = rng.choice([m for m in MARKERS if m not in markers[:1]])
    number = 0
    for index, span in enumerate(kept_lines):
        if index:
            build.raw("\n")
        if span in item_set:
            number += 1
            build.raw(f"{number}. " if marker == "1." else f"{marker} ")
        _add_piece(build, source, span, rate, rng, spinner)
    return build.variant("bullets", rate)


# -- excerpt ------------------------------------------------------------------


def _excerpt(request: _Request) -> Variant:
    sources, rate, rng, spinner = request.sources, request.rate, request.rng, request.spinner
    source = sources[0]
    span = excerpt_span(source.text, request.size or rng.randint(2, 4), rng)
    build = _Assembly()
    if len(sources) < 2:
        _add_piece(build, source, span, rate, rng, spinner)
        return build.variant("excerpt", rate)
    host = sources[1].text
    paragraphs = paragraph_spans(host)
    at = rng.randint(0, len(paragraphs))
    inline = at > 0 and rng.random() < 0.25  # at the end of the host paragraph before
    for number in range(len(paragraphs) + 1):
        if number == at and not inline:
            build.raw("\n\n" if build.length else "")
            _add_piece(build, source, span, rate, rng, spinner)
        if number < len(paragraphs):
            build.raw("\n\n" if build.length else "")
            build.raw(host[paragraphs[number][0] : paragraphs[number][1]])
            if inline and number == at - 1:
                build.raw(" ")
                _add_piece(build, source, span, rate, rng, spinner)
    return build.variant("excerpt", rate)


_BUILDERS: dict[str, _Builder] = {
    "verbatim": _verbatim,
    "spun": _spun,
    "partial": _partial,
    "stitched": _stitched,
    "homoglyph": functools.partial(_disguised, "homoglyph", homoglyph_edits),
    "boilerplate": _boilerplate,
    "encoding_loss": functools.partial(_disguised, "encoding_loss", encoding_loss_edits),
    "reordered": _reordered,
    "reflowed": _reflowed,
    "repeated": _repeated,
    "bullets": _bullets,
    "excerpt": _excerpt,
}
