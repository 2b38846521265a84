"""A probabilistic English grammar that writes news-style sentences.

Every telling of an event gets its own ``Writer`` (its own random stream), so
two tellings of the same facts come out in different words and structures:
active or passive, fronted or trailing adjuncts, reported or direct speech,
relative clauses, participial phrases, lists, numbers. Content words come from
``bench.lexicon`` (WordNet by frequency); function words, names and numbers
come from the productions here, which is what makes the skeletons varied.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bench.entities import Outlet, Person
from bench.frames import MONTHS, Fact
from bench.lexicon import Lexicon, WeightedWords, inflect

NP = tuple[str, bool]
"""A noun phrase and whether it is plural (for agreement)."""

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(@?)(\w+)\}")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:?!])")
_DOUBLE_PUNCT = re.compile(r",\s*([,.;:?!])")
_SPACES = re.compile(r"\s{2,}")

_TENSES = ("past", "present", "perfect", "pastperf", "future", "modal", "prog_past", "prog")
_TENSE_WEIGHTS = (52, 12, 12, 5, 5, 9, 3, 2)
_MODALS = ("could", "would", "might", "should", "may", "must", "can")
_SOFT_ADVERBS = ("also", "still", "already", "now", "only", "even", "often", "again", "just")
_REPORTING = (
    "say",
    "say",
    "say",
    "add",
    "note",
    "warn",
    "argue",
    "claim",
    "insist",
    "admit",
    "explain",
    "suggest",
    "stress",
    "acknowledge",
    "predict",
    "confirm",
    "point out",
    "tell reporters",
)
_SUBORDINATORS = (
    "although",
    "because",
    "when",
    "after",
    "before",
    "if",
    "since",
    "while",
    "as",
    "once",
    "unless",
    "even though",
    "until",
    "whereas",
)
_PREPOSITIONS = (
    "of",
    "of",
    "of",
    "in",
    "in",
    "on",
    "at",
    "for",
    "for",
    "with",
    "from",
    "by",
    "about",
    "after",
    "before",
    "during",
    "over",
    "under",
    "between",
    "against",
    "across",
    "through",
    "without",
    "despite",
    "towards",
    "near",
    "beyond",
    "within",
    "among",
    "behind",
    "around",
    "into",
    "alongside",
    "amid",
    "like",
)
_SING_DETS = (
    "the",
    "the",
    "the",
    "the",
    "the",
    "the",
    "a",
    "a",
    "a",
    "a",
    "this",
    "that",
    "its",
    "their",
    "every",
    "another",
    "one",
    "each",
    "no",
    "any",
)
_PLUR_DETS = (
    "the",
    "the",
    "the",
    "the",
    "",
    "",
    "",
    "some",
    "many",
    "several",
    "few",
    "these",
    "those",
    "their",
    "its",
    "both",
    "all",
    "most",
    "more",
    "other",
    "such",
)
_TIME_ADJUNCTS = (
    "last week",
    "last month",
    "earlier this year",
    "this week",
    "in recent years",
    "over the past decade",
    "at the weekend",
    "for the first time",
    "in the past",
    "so far",
    "by the end of the year",
    "at the time",
    "since then",
    "in the coming weeks",
    "last year",
    "for years",
    "on Monday",
    "in {month}",
    "in {year}",
    "since {year}",
    "by {month}",
    "earlier in the day",
    "within hours",
    "over the summer",
    "later this year",
)
_QUOTE_OPENERS = (
    "we",
    "we",
    "people",
    "they",
    "you",
    "families",
    "everyone here",
    "nobody",
    "all of us",
)
_LINKERS = (
    "However,",
    "Meanwhile,",
    "In addition,",
    "Still,",
    "By contrast,",
    "Even so,",
    "At the same time,",
    "Separately,",
    "As a result,",
    "For now,",
    "In the end,",
    "Elsewhere,",
    "Earlier,",
    "Later,",
    "Instead,",
    "Indeed,",
    "In particular,",
)


def article(word: str) -> str:
    """``a`` or ``an`` for a following word (by its first letter: good enough here)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def choose_alternatives(template: str, rng: random.Random) -> str:
    """Resolve each ``[a|b|c]`` in a template to one alternative."""
    return _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)


def tidy(sentence: str) -> str:
    """Fix spacing around punctuation and capitalise the first letter."""
    sentence = _SPACE_BEFORE_PUNCT.sub(r"\1", sentence)
    sentence = _DOUBLE_PUNCT.sub(r"\1", sentence)
    sentence = _SPACES.sub(" ", sentence).strip()
    for i, ch in enumerate(sentence):
        if ch.isalpha():
            return sentence[:i] + ch.upper() + sentence[i + 1 :]
        if ch.isdigit():
            break  # a sentence opening on a figure keeps the next word as it is
    return sentence


@dataclass(slots=True)
class Cast:
    """What one event offers the writer: people, slot values, topic nouns."""

    people: dict[str, Person]
    values: dict[str, str]
    topic_nouns: tuple[str, ...]
    names: tuple[str, ...]
    """Places and organisations that background sentences may mention."""


@dataclass(slots=True)
class Writer:
    """Writes one telling of one event; keep one per article."""

    rng: random.Random
    lex: Lexicon
    outlet: Outlet
    cast: Cast
    mentioned: set[str] = field(default_factory=set)

    # -- words -------------------------------------------------------------

    def _pick(self, pool: WeightedWords) -> str:
        return pool.pick(self.rng)

    def noun(self, plural: bool = False) -> str:
        """A content noun, now and then one of the event's topic nouns."""
        if self.rng.random() < 0.22:
            word = self.rng.choice(self.cast.topic_nouns)
        else:
            word = self._pick(self.lex.nouns)
        return inflect(word, "NNS") if plural else word

    def adjective(self) -> str:
        """A content adjective."""
        return self._pick(self.lex.adjectives)

    def percent(self, value: str) -> str:
        """A percentage in the outlet's house style."""
        return f"{value} per cent" if self.outlet.per_cent else f"{value}%"

    def quote(self, text: str) -> str:
        """Wrap text in the outlet's quotation marks."""
        return f"“{text}”" if self.outlet.curly_quotes else f'"{text}"'

    def when(self) -> str:
        """The event day as a weekday or a date, in house style."""
        day = self.cast.values["weekday"]
        if self.rng.random() < 0.55:
            return day
        month, date = self.cast.values["month_name"], self.cast.values["day"]
        return f"{date} {month}" if self.outlet.day_first else f"{month} {date}"

    def number(self) -> str:
        """A background number: a count, now and then spelled out."""
        roll = self.rng.random()
        if roll < 0.3:
            return self.rng.choice(("two", "three", "four", "five", "dozens of", "hundreds of"))
        if roll < 0.7:
            return str(self.rng.randint(2, 99))
        return f"{self.rng.randint(100, 99000):,}"

    # -- templates ---------------------------------------------------------

    def fill(self, template: str) -> str:
        """Realise a frame template: pick alternatives, fill slots, mention people."""
        text = _SLOT.sub(self._slot, choose_alternatives(template, self.rng))
        if not self.outlet.curly_quotes:
            text = text.replace("“", '"').replace("”", '"')
        return text

    def _slot(self, match: re.Match[str]) -> str:
        key = match.group(2)
        if match.group(1):
            return self.mention(key)
        if key == "when":
            return self.when()
        if key == "month" and key not in self.cast.values:
            return self.rng.choice(MONTHS)
        if key == "year" and key not in self.cast.values:
            return str(self.rng.randint(1990, 2014))
        value = self.cast.values[key]
        return self.percent(value) if key.startswith("pct") else value

    def mention(self, key: str, apposition: bool = True) -> str:
        """Name a person: full name (with role) the first time, surname after."""
        person = self.cast.people[key]
        if key in self.mentioned:
            return person.family
        self.mentioned.add(key)
        if not apposition:
            return person.full
        return f"{person.full}, {person.role},"

    def someone(self) -> str:
        """A person of the cast, mentioned as the story has got to them."""
        return self.mention(self.rng.choice(sorted(self.cast.people)))

    # -- phrases -----------------------------------------------------------

    def np(self, depth: int = 0, plural: bool | None = None) -> NP:
        """A noun phrase, with optional modifiers and (shallow) post-modifiers."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.07 and plural is not True:
            return rng.choice(self.cast.names), False
        if roll < 0.13 and plural is not False:
            return f"{self.number()} {self.noun(True)}", True
        if roll < 0.16 and plural is not True:
            return self.gerund_phrase(), False
        if plural is None:
            plural = rng.random() < 0.35
        head = self.noun(plural)
        mods = []
        roll = rng.random()
        if roll < 0.38:
            mods.append(self.adjective())
            if roll < 0.06:
                mods.append(self.adjective())
        elif roll < 0.5:
            mods.append(self.noun())
        words = " ".join([*mods, head])
        if rng.random() < 0.05:
            owner = rng.choice(self.cast.names)
            owner = owner.removeprefix("the ")
            text = f"{owner}' {words}" if owner.endswith("s") else f"{owner}'s {words}"
        else:
            det = rng.choice(_PLUR_DETS if plural else _SING_DETS)
            if det == "a":
                det = article(words)
            text = f"{det} {words}" if det else words
        if depth < 2:
            roll = rng.random()
            if roll < 0.22:
                text += " " + self.pp(depth + 1)
            elif roll < 0.30 and depth == 0:
                text += " " + self.relative(plural, depth + 1)
            elif roll < 0.33:
                text += (
                    f" {inflect(self._pick(self.lex.transitive_verbs), 'VBN')} by {self.np(2)[0]}"
                )
        return text, plural

    def gerund_phrase(self) -> str:
        """``building new roads``: a verb-ing phrase used as a noun."""
        verb = inflect(self._pick(self.lex.transitive_verbs), "VBG")
        return f"{verb} {self.np(2)[0]}"

    def pp(self, depth: int = 1) -> str:
        """A prepositional phrase."""
        return f"{self.rng.choice(_PREPOSITIONS)} {self.np(depth)[0]}"

    def relative(self, plural: bool, depth: int) -> str:
        """A relative clause on a noun of the given number."""
        roll = self.rng.random()
        if roll < 0.6:
            return f"{self.rng.choice(('that', 'which', 'that'))} {self.vp(plural, depth + 1)}"
        if roll < 0.85:
            subj, subj_plural = self.np(2)
            verb = self.verb_group(self._pick(self.lex.transitive_verbs), subj_plural)
            return f"{self.rng.choice(('that', ''))} {subj} {verb}"
        return f"where {self.clause(depth + 1)}"

    def time_adjunct(self) -> str:
        """A time phrase such as ``last week`` or ``since 2009``."""
        return self.fill(self.rng.choice(_TIME_ADJUNCTS))

    def adjunct(self) -> str:
        """A phrase that can open or close a clause."""
        roll = self.rng.random()
        if roll < 0.45:
            return self.time_adjunct()
        if roll < 0.85:
            return self.pp()
        return f"{self._pick(self.lex.adverbs)}"

    # -- verbs -------------------------------------------------------------

    def verb_group(
        self,
        lemma: str,
        plural: bool,
        tense: str | None = None,
        passive: bool = False,
        negate: bool = False,
    ) -> str:
        """Conjugate a verb (or ``be ...`` phrase) for tense, number, voice and polarity."""
        rng = self.rng
        if tense is None:
            tense = rng.choices(_TENSES, _TENSE_WEIGHTS)[0]
        rest = ""
        if lemma.startswith("be "):
            rest = lemma[3:]
            words = self._be(tense, plural)
        elif passive:
            words = [*self._be(tense, plural), inflect(lemma, "VBN")]
        else:
            words = self._active(lemma, tense, plural, negate)
            negate = False
        if negate:
            words.insert(1 if len(words) > 1 else len(words), "not")
        if rng.random() < 0.12:
            adverb = (
                rng.choice(_SOFT_ADVERBS) if rng.random() < 0.6 else self._pick(self.lex.adverbs)
            )
            words.insert(max(len(words) - 1, 0) if len(words) > 1 else 0, adverb)
        text = " ".join(words)
        return f"{text} {rest}" if rest else text

    def _be(self, tense: str, plural: bool) -> list[str]:
        match tense:
            case "past" | "prog_past":
                return ["were" if plural else "was"]
            case "present" | "prog":
                return ["are" if plural else "is"]
            case "perfect":
                return ["have" if plural else "has", "been"]
            case "pastperf":
                return ["had", "been"]
            case "future":
                return ["will", "be"]
            case _:
                return [self.rng.choice(_MODALS), "be"]

    def _active(self, lemma: str, tense: str, plural: bool, negate: bool) -> list[str]:
        match tense:
            case "past":
                if negate:
                    return ["did", "not", lemma]
                return [inflect(lemma, "VBD")]
            case "present":
                if negate:
                    return ["do" if plural else "does", "not", lemma]
                return [lemma if plural else inflect(lemma, "VBZ")]
            case "perfect":
                return ["have" if plural else "has", inflect(lemma, "VBN")]
            case "pastperf":
                return ["had", inflect(lemma, "VBN")]
            case "future":
                return ["will", lemma]
            case "modal":
                return [self.rng.choice(_MODALS), lemma]
            case "prog_past":
                return ["were" if plural else "was", inflect(lemma, "VBG")]
            case _:
                return ["are" if plural else "is", inflect(lemma, "VBG")]

    def vp(self, plural: bool, depth: int = 0, tense: str | None = None) -> str:
        """A verb phrase agreeing with a subject of the given number."""
        rng = self.rng
        lex = self.lex
        negate = rng.random() < 0.07
        roll = rng.random()
        if roll < 0.42:
            verb = self.verb_group(self._pick(lex.transitive_verbs), plural, tense, negate=negate)
            text = f"{verb} {self.np(depth + 1)[0]}"
            if rng.random() < 0.25:
                text += " " + self.adjunct()
            return text
        if roll < 0.56:
            verb = self.verb_group(self._pick(lex.intransitive_verbs), plural, tense, negate=negate)
            return f"{verb} {self.adjunct()}" if rng.random() < 0.6 else verb
        if roll < 0.68:
            verb = self.verb_group(
                self._pick(lex.transitive_verbs), plural, tense, passive=True, negate=negate
            )
            if rng.random() < 0.4:
                return f"{verb} by {self.np(depth + 1)[0]}"
            return f"{verb} {self.adjunct()}" if rng.random() < 0.5 else verb
        if roll < 0.76 and depth < 2:
            verb = self.verb_group(self._pick(lex.clause_verbs), plural, tense, negate=negate)
            that = "that " if rng.random() < 0.6 else ""
            return f"{verb} {that}{self.clause(depth + 1)}"
        if roll < 0.84:
            verb = self.verb_group(self._pick(lex.infinitive_verbs), plural, tense, negate=negate)
            return f"{verb} to {self._pick(lex.transitive_verbs)} {self.np(depth + 1)[0]}"
        if roll < 0.94:
            be = self.verb_group("be ", plural, tense, negate=negate).strip()
            if rng.random() < 0.55:
                complement = self.adjective()
                if rng.random() < 0.4:
                    complement += " " + self.pp(depth + 1)
            else:
                complement = self.np(depth + 1, plural)[0]
            return f"{be} {complement}"
        first = self.verb_group(self._pick(lex.transitive_verbs), plural, tense)
        second = inflect(self._pick(lex.transitive_verbs), "VBD")
        return f"{first} {self.np(2)[0]} and {second} {self.np(2)[0]}"

    # -- clauses and sentences ---------------------------------------------

    def subject(self, depth: int) -> NP:
        """A clause subject: usually a noun phrase, sometimes a named party."""
        roll = self.rng.random()
        if roll < 0.12:
            person = self.cast.people[self.rng.choice(sorted(self.cast.people))]
            return (person.family if self.rng.random() < 0.7 else person.full), False
        if roll < 0.2:
            return self.rng.choice(self.cast.names), False
        return self.np(depth)

    def clause(self, depth: int = 0, tense: str | None = None) -> str:
        """Subject plus verb phrase."""
        subj, plural = self.subject(depth + 1)
        return f"{subj} {self.vp(plural, depth, tense)}"

    def sentence(self) -> str:
        """One background sentence from one of many top-level productions."""
        return tidy(self._weighted_production(_SENTENCE_PRODUCTIONS) + ".")

    def _weighted_production(
        self, productions: Sequence[tuple[float, Callable[[Writer], str]]]
    ) -> str:
        roll = self.rng.random() * productions[-1][0]
        for threshold, make in productions:
            if roll < threshold:
                return make(self)
        return productions[-1][1](self)

    def _simple(self) -> str:
        text = self.clause()
        return f"{text} {self.time_adjunct()}" if self.rng.random() < 0.3 else text

    def _fronted(self) -> str:
        opener = self.rng.choice(_LINKERS) if self.rng.random() < 0.4 else self.adjunct() + ","
        return f"{opener} {self.clause()}"

    def _subordinate(self) -> str:
        sub = self.rng.choice(_SUBORDINATORS)
        if self.rng.random() < 0.5:
            return f"{sub} {self.clause(1)}, {self.clause()}"
        return f"{self.clause()} {sub} {self.clause(1)}"

    def _compound(self) -> str:
        joiner = self.rng.choice((", and", ", but", ", while", ", yet", "; ", " — and", ", so"))
        return f"{self.clause(1)}{joiner} {self.clause(1)}"

    def _participial(self) -> str:
        if self.rng.random() < 0.7:
            lead = self.gerund_phrase()
        else:
            lead = f"having {inflect(self._pick(self.lex.transitive_verbs), 'VBN')} {self.np(2)[0]}"
        return f"{lead}, {self.clause()}"

    def _existential(self) -> str:
        plural = self.rng.random() < 0.5
        be = self.verb_group("be ", plural, self.rng.choice(("past", "present", "perfect"))).strip()
        return f"there {be} {self.np(1, plural)[0]} {self.adjunct()}"

    def _cleft(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return f"it {self.rng.choice(('was', 'is'))} {self.np(1)[0]} that {self.vp(False, 1)}"
        be = self.rng.choice(("is", "was", "remains"))
        if roll < 0.7:
            return f"it {be} {self.adjective()} that {self.clause(1)}"
        unknown = self.rng.choice(("unclear", "not known", "uncertain"))
        word = self.rng.choice(("whether", "how", "why", "when"))
        return f"it {be} {unknown} {word} {self.clause(1)}"

    def _reported(self) -> str:
        roll = self.rng.random()
        if roll < 0.25:
            return f"according to {self.someone()}, {self.clause(1, 'past')}"
        verb = self.rng.choice(_REPORTING)
        that = "that " if self.rng.random() < 0.5 else ""
        speaker = self.someone() if roll < 0.75 else self.rng.choice(self.cast.names)
        # Reported speech backshifts now and then: "said the plan had failed".
        clause = self.clause(1, "pastperf" if self.rng.random() < 0.3 else None)
        return f"{speaker} {self.verb_group(verb, False, 'past')} {that}{clause}"

    def _numeric(self) -> str:
        rng = self.rng
        roll = rng.random()
        noun = self.noun(True)
        if roll < 0.3:
            pct = self.percent(str(rng.randint(2, 90)))
            hedge = rng.choice(("about", "nearly", "more than", "fewer than", "roughly", "just"))
            return f"{hedge} {pct} of {noun} {self.vp(True, 1)}"
        if roll < 0.6:
            year = rng.randint(1990, 2020)
            change = rng.choice(("up from", "down from", "compared with"))
            then = f"{change} {self.number()} in {year}"
            return f"{self.number()} {noun} {self.vp(True, 1, 'past')}, {then}"
        if roll < 0.8:
            verb = self.verb_group(rng.choice(("cost", "total", "reach")), False, "past")
            amount = f"{self.number()} {self.noun(True)}"
            return f"the {self.noun()} {verb} {amount} {self.time_adjunct()}"
        return f"one in {rng.choice(('three', 'four', 'five', 'ten'))} {noun} {self.vp(True, 1)}"

    def _listing(self) -> str:
        items = [self.np(2)[0] for _ in range(self.rng.randint(3, 4))]
        serial = "," if self.rng.random() < 0.4 else ""
        listed = ", ".join(items[:-1]) + f"{serial} and {items[-1]}"
        verb = self.rng.choice(("include", "involve", "range from", "cover", "feature"))
        subj, plural = self.np(1)
        return f"{subj} {self.verb_group(verb, plural, 'present')} {listed}"

    def _apposition(self) -> str:
        name = self.rng.choice(self.cast.names)
        return f"{name}, {self.np(1)[0]}, {self.vp(False, 1)}"

    def _dash(self) -> str:
        subj, plural = self.np(1)
        return f"{subj} — {self.adjective()} and {self.adjective()} — {self.vp(plural, 1)}"

    def _colon(self) -> str:
        return f"{self.clause(1)}: {self.clause(1)}"

    # -- speech ------------------------------------------------------------

    def utterance(self) -> str:
        """Something a person says, first person or a question; no outer quote marks."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.16:
            opener = rng.choice(
                ("why would", "how can", "why should", "how could", "who will", "what will")
            )
            subj = rng.choice(("we", "anyone", "they", "people", "the council", "you"))
            return tidy(f"{opener} {subj} {self._pick(self.lex.transitive_verbs)} {self.np(1)[0]}?")
        if roll < 0.32:
            verb = rng.choice(("think", "believe", "hope", "feel", "know", "fear", "suspect"))
            return tidy(f"I {verb} {self.clause(1)}.")
        if roll < 0.45:
            place = rng.choice(self.cast.names)
            return tidy(
                f"this is {self.np(1, False)[0]} {rng.choice(('for', 'in', 'about'))} {place}."
            )
        if roll < 0.55:
            first = tidy(f"{rng.choice(_QUOTE_OPENERS)} {self.vp(True, 1)}.")
            return f"{first} {tidy(self.clause(1, 'present') + '.')}"
        return tidy(f"{rng.choice(_QUOTE_OPENERS)} {self.vp(True, 1)}.")

    def attributed(self, text: str, speaker: str) -> str:
        """A quotation with its attribution, in one of several house patterns."""
        rng = self.rng
        person = self.cast.people[speaker]
        first_time = speaker not in self.mentioned
        name = self.mention(speaker, apposition=False)
        role = person.role if first_time else ""
        inner = text.rstrip(".")
        trailing_comma = "" if inner.endswith("?") else ","
        roll = rng.random()
        if roll < 0.35:
            verb = "asked" if inner.endswith("?") else rng.choice(("said", "said", "added"))
            who = f"{name}, {role}" if role else name
            return f"{self.quote(inner + trailing_comma)} {verb} {who}."
        if roll < 0.6:
            verb = rng.choice(
                ("said", "said", "added", "told reporters", f"told {self.outlet.name}")
            )
            if role:
                return f"{self.quote(inner + trailing_comma)} {name}, {role}, {verb}."
            return f"{self.quote(inner + trailing_comma)} {name} {verb}."
        if roll < 0.8:
            who = f"{name}, {role}," if role else name
            verb = rng.choice(("said", "told reporters", "said in a statement"))
            return f"{who} {verb}: {self.quote(text)}"
        who = f"{name}, {role}" if role else name
        return f"{self.quote(inner + trailing_comma)} {rng.choice(('according to', 'said'))} {who}."

    # -- facts -------------------------------------------------------------

    def fact(self, fact: Fact, lead: bool = False) -> str:
        """Realise one event fact as a sentence, differently on every telling."""
        rng = self.rng
        verb = rng.choice(fact.verbs)
        has_be = verb.startswith("be ")
        passive = fact.subj is None or (
            fact.passive and fact.obj is not None and not has_be and rng.random() < 0.3
        )
        tense = "past" if rng.random() < 0.78 else rng.choice(("perfect", "pastperf", "past"))
        reported = not lead and rng.random() < 0.2
        if reported and tense == "past" and rng.random() < 0.5:
            tense = "pastperf"
        # Other tellings may leave a detail out; the lead keeps all of its own.
        extras = [e for e in fact.extras if lead or rng.random() < 0.9]
        rng.shuffle(extras)
        front = ""
        if extras and not extras[0].startswith(",") and rng.random() < 0.25:
            front = self.fill(extras.pop(0)) + ","
        if passive:
            obj = self.fill(fact.obj or "")
            core = f"{obj} {self.verb_group(verb, fact.obj_plural, tense, passive=True)}"
            if fact.subj is not None:
                core += f" by {self.fill(fact.subj)}"
        else:
            subj = self.fill(fact.subj or "")
            core = f"{subj} {self.verb_group(verb, fact.subj_plural, tense)}"
            if fact.obj is not None:
                core += " " + self.fill(fact.obj)
        tail = " ".join(self.fill(e) for e in sorted(extras, key=lambda e: e.startswith(",")))
        roll = rng.random()
        if roll < 0.12:
            comment = rng.choice(("a move that", "a decision that", "which"))
            tail += f", {comment} {self.vp(False, 1)}"
        elif roll < 0.22:
            linker = rng.choice(("after", "as", "while", "before", "because"))
            tail += f" {linker} {self.clause(1, 'past')}"
        elif roll < 0.3:
            tail += f", {self.gerund_phrase()}"
        sentence = f"{front} {core} {tail}"
        if reported:
            source = rng.choice(
                ("officials", "a statement", "police", "organisers", "reports", "sources")
            )
            if rng.random() < 0.5:
                verb = rng.choice(("said", "confirmed", "reported"))
                sentence = f"{source} {verb} {rng.choice(('that ', ''))}{core} {tail}"
            else:
                sentence = f"according to {source}, {core} {tail}"
        return tidy(sentence + ".")


_SENTENCE_PRODUCTIONS: tuple[tuple[float, Callable[[Writer], str]], ...] = tuple(
    zip(
        (
            24,
            34,
            45,
            53,
            58,
            63,
            67,
            74,
            80,
            85,
            89,
            93,
            96,
        ),
        (
            Writer._simple,
            Writer._fronted,
            Writer._subordinate,
            Writer._compound,
            Writer._participial,
            Writer._existential,
            Writer._cleft,
            Writer._reported,
            Writer._numeric,
            Writer._listing,
            Writer._apposition,
            Writer._dash,
            Writer._colon,
        ),
        strict=True,
    )
)
