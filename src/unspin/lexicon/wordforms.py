"""What a spinner may put in place of one word: synonyms in the same form.

For each (word, context hint) the analyzer works out the word's part of
speech, lemma and Penn tag with lemminflect (through the lexicon), and the
replacements a spinner could write there. Results are cached per analyzer, so
a corpus spun many times pays for each word once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

from unspin.normalize import FUNCTION_WORDS


def wordset(spaced: str) -> frozenset[str]:
    """The set of the space-separated words in ``spaced`` (for word lists)."""
    return frozenset(spaced.split())


# Words the spinner never touches nor writes, beyond the pipeline's function
# words: numbers spelt out, and prepositions, conjunctions and quantifiers
# whose "synonyms" in a thesaurus are mostly wrong ("about" -> "astir").
_NUMBER_WORDS = wordset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen half percent "
    "first second third fourth fifth sixth seventh eighth ninth tenth"
)
FROZEN_WORDS = (
    FUNCTION_WORDS
    | _NUMBER_WORDS
    | wordset(
        "about above across along among amid around behind below beside beyond despite near "
        "outside inside toward towards until unless via per including while although though "
        "because since whether once then ever yet either neither every several many much few "
        "more most less least just only even already never always"
    )
)


Hint = Literal["noun", "attr", "verb", "adj", "aux", ""]
"""What the neighbours suggest the word is: ``noun`` after a determiner,
``attr`` between a determiner and another word ("a local economist")."""

_TAGS: dict[str, tuple[str, ...]] = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBN", "VBG", "VBZ"),
    # Comparatives stay: a thesaurus entry for "late" turns "later" into "deader".
    "ADJ": ("JJ",),
    "ADV": ("RB",),
}
_BASE_TAGS = frozenset({"NN", "VB", "VBP", "JJ", "RB"})

DETERMINERS = wordset(
    "the a an this these those his her its their our my your some many several few "
    "every each any no another"
)
_VERB_CUES = wordset(
    "to will would can could may might must should shall did does do not never "
    "he she it they we i you who"
)
_ADJ_CUES = wordset("very so too quite rather extremely less more most")
_AUX_CUES = wordset("has have had is are was were be been being get got")
BE_FORMS = wordset("is are was were be been being seems seemed looks looked")

_CANDIDATE_RE = re.compile(r"[a-z]+(?:-[a-z]+)?(?: [a-z]+(?:-[a-z]+)?){0,2}")
# Clumsy derivations real spinners produce from the word itself ("tax" ->
# "taxation"), kept only when the result is a common word.
_SUFFIXES = ("ation", "ion", "ment", "ness", "ity", "al", "ing", "er", "ance", "ence")
# Wrong forms of the same lemma ("star" -> "starring", "showed" -> "showing").
_WRONG_FORM_TAGS = {"NOUN": ("VBG", "NN", "NNS"), "VERB": ("VBG", "VBN", "VBD", "VBZ")}

_MAX_SINGLES = 10
_MAX_PHRASES = 6
_MIN_FORM_ZIPF = 1.5  # drops lemminflect guesses like "beautifuler"
_MIN_CLUMSY_ZIPF = 3.0  # a clumsy form must still be a common word


class LexiconLike(Protocol):
    """The part of :class:`unspin.lexicon` the spinner uses."""

    def synonyms(self, word: str, pos: str | None = None, limit: int = 50) -> list[str]:
        """Lemma-level synonyms, best first; may hold phrases ("take part")."""
        ...

    def lemmas(self, word: str) -> dict[str, list[str]]:
        """Universal POS tag -> lemmas of ``word``."""
        ...

    def inflect(self, lemma: str, tag: str) -> str | None:
        """``lemma`` in the form of Penn ``tag``, or ``None``."""
        ...

    def zipf(self, word: str) -> float:
        """Word frequency on the Zipf scale (0 for unknown words)."""
        ...


@dataclass(frozen=True, slots=True)
class WordEntry:
    """How one word (in one kind of context) can be spun."""

    upos: str
    lemma: str
    tag: str
    singles: tuple[str, ...]
    """One-word synonyms already in the word's form, best first."""
    cum_weights: tuple[float, ...]
    """Cumulative choice weights for ``singles`` (common words favoured)."""
    phrases: tuple[str, ...]
    """Multiword replacements in the word's form ("set about", "has presented")."""
    clumsy: tuple[str, ...]
    """Wrong forms or derivations of the word's own lemma ("taxation")."""

    @property
    def swappable(self) -> bool:
        return bool(self.singles or self.phrases)


def context_hint(previous: str | None, following_is_word: bool) -> Hint:
    """The hint given by the (lowercased) previous word, if any, and whether
    a lowercase content word follows directly."""
    if previous is None:
        return ""
    if previous in DETERMINERS:
        return "attr" if following_is_word else "noun"
    if previous in _VERB_CUES:
        return "verb"
    if previous in _ADJ_CUES:
        return "adj"
    if previous in _AUX_CUES:
        return "aux"
    return ""


class WordAnalyzer:
    """Finds, and caches, the spinning options of lowercase words."""

    def __init__(self, lexicon: LexiconLike) -> None:
        self._lex = lexicon
        self._cache: dict[tuple[str, Hint], WordEntry | None] = {}

    def entry(self, word: str, hint: Hint = "") -> WordEntry | None:
        """The options for ``word`` (lowercase) after a word giving ``hint``.

        ``None`` when lemminflect does not know the word as a noun, verb,
        adjective or adverb. An entry without synonyms still tells its part
        of speech (deletions and insertions need it).
        """
        key = (word, hint)
        if key not in self._cache:
            self._cache[key] = self._analyse(word, hint)
        return self._cache[key]

    def _analyse(self, word: str, hint: Hint) -> WordEntry | None:
        readings = self._readings(word, hint)
        fallback: WordEntry | None = None
        for upos, lemma, tag in readings:
            entry = self._build(word, upos, lemma, tag)
            if entry.swappable:
                return entry
            fallback = fallback or entry
        return fallback

    def _readings(self, word: str, hint: Hint) -> list[tuple[str, str, str]]:
        """Plausible (upos, lemma, tag) readings of ``word``, likeliest first."""
        lemmas = self._lex.lemmas(word)
        readings: list[tuple[str, str, str]] = []
        for upos in self._upos_order(word, hint, lemmas):
            for lemma in lemmas.get(upos, ()):
                tag = self.tag_of(word, upos, lemma, hint)
                if tag is not None:
                    readings.append((upos, lemma, tag))
        return readings

    @staticmethod
    def _upos_order(word: str, hint: Hint, lemmas: dict[str, list[str]]) -> list[str]:
        present = [u for u in lemmas if u in _TAGS]
        # "-s" forms are plural nouns more often than verbs in news ("Engineers said").
        inflected_verb = any(lemma != word for lemma in lemmas.get("VERB", ())) and not (
            word.endswith("s") and "NOUN" in lemmas
        )
        if hint == "noun":
            order = ["NOUN", "ADJ", "VERB", "ADV"]
        elif hint == "attr":
            order = ["ADJ", "NOUN", "VERB", "ADV"]
        elif hint == "verb":
            order = ["VERB", "NOUN", "ADJ", "ADV"]
        elif hint == "adj":
            order = ["ADJ", "ADV", "VERB", "NOUN"]
        elif hint == "aux" or inflected_verb:
            # "was shown", "officials said": a visibly inflected verb is a verb.
            order = ["VERB", "ADJ", "NOUN", "ADV"]
            if not inflected_verb:
                order = ["ADJ", "VERB", "NOUN", "ADV"]
        elif word.endswith("ly"):
            order = ["ADV", "ADJ", "NOUN", "VERB"]
        else:
            order = present
        return [u for u in order if u in present]

    def tag_of(self, word: str, upos: str, lemma: str, hint: Hint = "") -> str | None:
        """The Penn tag that makes ``lemma`` (of part of speech ``upos``) into ``word``;
        None when none does or ``upos`` is not a content word's."""
        matches = [
            tag
            for tag in _TAGS.get(upos, ())
            if (lemma if tag in _BASE_TAGS else self._lex.inflect(lemma, tag)) == word
        ]
        if not matches:
            return None
        if hint == "verb" and "VB" in matches:
            return "VB"  # "will cost", not the identical past tense
        if "VBD" in matches and "VBN" in matches:
            return "VBN" if hint == "aux" else "VBD"
        return matches[0]

    def form(self, lemma: str, tag: str) -> str | None:
        """``lemma`` inflected as ``tag``, if that gives a real word."""
        if tag in _BASE_TAGS:
            return lemma
        form = self._lex.inflect(lemma, tag)
        if form is None or self._lex.zipf(form) < _MIN_FORM_ZIPF:
            return None
        return form

    def _build(self, word: str, upos: str, lemma: str, tag: str) -> WordEntry:
        singles: dict[str, float] = {}  # form -> zipf, in the lexicon's order
        single_lemmas: list[str] = []
        phrases: list[str] = []
        for raw in self._lex.synonyms(lemma, pos=upos, limit=50):
            syn = raw.strip()
            if not _CANDIDATE_RE.fullmatch(syn) or syn == lemma or syn in FROZEN_WORDS:
                continue
            parts = syn.split(" ")
            if lemma in parts or word in parts:
                continue
            if len(parts) == 1:
                form = self.form(syn, tag)
                zipf = self._lex.zipf(form) if form else 0.0
                if form and form != word and zipf >= _MIN_FORM_ZIPF and form not in singles:
                    singles[form] = zipf
                    single_lemmas.append(syn)
            elif len(phrases) < _MAX_PHRASES:
                phrase = self._phrase_form(parts, upos, tag)
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
        best = list(singles.items())[:_MAX_SINGLES]
        if tag == "VBD":
            # Spinners like the perfect: "showed" -> "has presented".
            for syn in single_lemmas[:3]:
                participle = self.form(syn, "VBN")
                if participle:
                    phrases.extend(f"{aux} {participle}" for aux in ("has", "had"))
        return WordEntry(
            upos=upos,
            lemma=lemma,
            tag=tag,
            singles=tuple(form for form, _ in best),
            cum_weights=_cumulative_weights([zipf for _, zipf in best]),
            phrases=tuple(phrases),
            clumsy=self._clumsy(word, upos, lemma, tag),
        )

    def _phrase_form(self, parts: list[str], upos: str, tag: str) -> str | None:
        if tag in _BASE_TAGS:
            return " ".join(parts)
        if upos not in ("VERB", "NOUN"):
            return None
        # The verb of "take part" inflects first; the noun of "news conference" last.
        head = 0 if upos == "VERB" else len(parts) - 1
        form = self.form(parts[head], tag)
        if form is None:
            return None
        return " ".join([*parts[:head], form, *parts[head + 1 :]])

    def _clumsy(self, word: str, upos: str, lemma: str, tag: str) -> tuple[str, ...]:
        candidates: list[str] = []
        for other in _WRONG_FORM_TAGS.get(upos, ()):
            if other != tag:
                candidates.append(lemma if other == "NN" else self._lex.inflect(lemma, other) or "")
        if upos in ("NOUN", "VERB", "ADJ"):
            for suffix in _SUFFIXES:
                candidates.extend(_derive(lemma, suffix))
        out: list[str] = []
        for form in candidates:
            if (
                form
                and form != word
                and form != lemma
                and form not in out
                and self._lex.zipf(form) >= _MIN_CLUMSY_ZIPF
            ):
                out.append(form)
        return tuple(out)


def _derive(lemma: str, suffix: str) -> list[str]:
    """Spellings of ``lemma + suffix`` under the usual English rules."""
    forms = [lemma + suffix]
    if lemma.endswith("e") and suffix[0] in "aeiou":
        forms.append(lemma[:-1] + suffix)
    if lemma.endswith("y") and suffix != "ing":
        forms.append(lemma[:-1] + "i" + suffix)
    return forms


def _cumulative_weights(zipfs: list[float]) -> tuple[float, ...]:
    """Favour frequent synonyms and the lexicon's order, without always taking the first."""
    total = 0.0
    out: list[float] = []
    for rank, zipf in enumerate(zipfs):
        total += (0.8**rank) * max(zipf - 1.0, 0.5) ** 2
        out.append(total)
    return tuple(out)
