"""Build each kind of content-farm variant from source documents."""

from __future__ import annotations

import functools
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from unspin.model import Document
from unspin.normalize import sentence_spans
from unspin.testdata import boilerplate
from unspin.testdata.disguise import Edit, encoding_loss_edits, homoglyph_edits, rewrite
from unspin.testdata.spinner import Spinner
from unspin.testdata.variant import Swap, Variant, VariantKind

PARTIAL_SHARE = (0.25, 0.60)
"""A partial copy reuses this share of its source's sentences."""
STITCH_SHARE = (0.20, 0.50)
"""Each passage of a stitched copy takes this share of its source's sentences."""

_Builder = Callable[[Sequence[Document], float, random.Random, Spinner], Variant]


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
) -> Variant:
    """A ``kind`` variant of ``sources`` with its ground truth.

    Every kind but ``stitched`` uses ``sources[0]`` only; ``stitched`` needs
    two or more (three at most are used). The result depends only on the
    arguments (and the lexicon), never on earlier calls.
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
    return builder(sources, rate, random.Random(seed), spinner or _default_spinner())


def _spin(spinner: Spinner, text: str, rate: float, rng: random.Random) -> tuple[str, list[Swap]]:
    spun = spinner.spin(text, rate, seed=rng.getrandbits(64))
    return spun.text, spun.swaps


def _whole(
    kind: VariantKind, source: Document, rate: float, rng: random.Random, spinner: Spinner
) -> tuple[str, list[Swap], Variant]:
    text, swaps = _spin(spinner, source.text, rate, rng)
    base = Variant(kind, text, [source.id], rate, swaps, [(source.id, 0, len(source.text))])
    return text, swaps, base


def _verbatim(
    sources: Sequence[Document], rate: float, rng: random.Random, spinner: Spinner
) -> Variant:
    source = sources[0]
    text = source.text
    # Scrapers often reflow whitespace; that is still a verbatim copy.
    choice = rng.random()
    if choice < 0.2:
        text = re.sub(r"\n\s*\n", "\n", text)
    elif choice < 0.4:
        text = re.sub(r"[ \t]+", " ", text).strip() + "\n"
    return Variant("verbatim", text, [source.id], 0.0, [], [(source.id, 0, len(source.text))])


def _spun(
    sources: Sequence[Document], rate: float, rng: random.Random, spinner: Spinner
) -> Variant:
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


def _partial(
    sources: Sequence[Document], rate: float, rng: random.Random, spinner: Spinner
) -> Variant:
    source = sources[0]
    start, end = _sentence_run(source.text, PARTIAL_SHARE, rng)
    text, swaps = _spin(spinner, source.text[start:end], rate, rng)
    return Variant("partial", text, [source.id], rate, swaps, [(source.id, start, end)])


def _stitched(
    sources: Sequence[Document], rate: float, rng: random.Random, spinner: Spinner
) -> Variant:
    if len(sources) < 2:
        raise ValueError("a stitched variant needs at least two sources")
    used = list(sources) if len(sources) <= 3 else rng.sample(list(sources), rng.randint(2, 3))
    rng.shuffle(used)
    parts: list[str] = []
    swaps: list[Swap] = []
    spans: list[tuple[str, int, int]] = []
    offset = 0
    for source in used:
        start, end = _sentence_run(source.text, STITCH_SHARE, rng)
        text, passage_swaps = _spin(spinner, source.text[start:end], rate, rng)
        swaps += [replace(s, start=s.start + offset, end=s.end + offset) for s in passage_swaps]
        spans.append((source.id, start, end))
        parts.append(text)
        offset += len(text) + 2
    return Variant("stitched", "\n\n".join(parts), [s.id for s in used], rate, swaps, spans)


def _disguised(
    kind: VariantKind,
    disguise: Callable[[str, random.Random], list[Edit]],
    sources: Sequence[Document],
    rate: float,
    rng: random.Random,
    spinner: Spinner,
) -> Variant:
    """A spun copy with a disguise laid over it (look-alike letters, lost letters)."""
    text, swaps, base = _whole(kind, sources[0], rate, rng, spinner)
    text, swaps = rewrite(text, swaps, disguise(text, rng))
    return replace(base, text=text, swaps=swaps)


def _boilerplate(
    sources: Sequence[Document], rate: float, rng: random.Random, spinner: Spinner
) -> Variant:
    text, swaps, base = _whole("boilerplate", sources[0], rate, rng, spinner)
    edits = [
        (0, 0, boilerplate.header(rng) + "\n\n"),
        (len(text), len(text), "\n\n" + boilerplate.footer(rng)),
    ]
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    if breaks and rng.random() < 0.5:
        at = rng.choice(breaks)
        edits.append((at, at, "\n\n" + boilerplate.interstitial(rng)))
    text, swaps = rewrite(text, swaps, edits)
    return replace(base, text=text, swaps=swaps)


_BUILDERS: dict[str, _Builder] = {
    "verbatim": _verbatim,
    "spun": _spun,
    "partial": _partial,
    "stitched": _stitched,
    "homoglyph": functools.partial(_disguised, "homoglyph", homoglyph_edits),
    "boilerplate": _boilerplate,
    "encoding_loss": functools.partial(_disguised, "encoding_loss", encoding_loss_edits),
}
