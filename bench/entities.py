"""Invented people, places, organisations and outlets for the synthetic corpus.

Every name is built from syllables or drawn from lists of common given names,
so no article can be mistaken for a report about a real person or town. Some
names carry accented letters (é, ü, ñ, ø) because encoding damage to them is
one of the disguises unspin has to see through.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_GIVEN_NAMES = [
    "Aaron",
    "Abigail",
    "Adam",
    "Adele",
    "Ahmed",
    "Aisha",
    "Alan",
    "Alba",
    "Alejandro",
    "Alice",
    "Amara",
    "Amir",
    "Ana",
    "Andrea",
    "Andrew",
    "Anna",
    "Anton",
    "Arjun",
    "Astrid",
    "Beatriz",
    "Ben",
    "Bianca",
    "Björn",
    "Bruno",
    "Camila",
    "Carla",
    "Carlos",
    "Catherine",
    "Chen",
    "Chloé",
    "Chris",
    "Clara",
    "Daniel",
    "David",
    "Diego",
    "Dmitri",
    "Elena",
    "Eli",
    "Elif",
    "Emma",
    "Emre",
    "Erik",
    "Esther",
    "Fatima",
    "Felix",
    "Fiona",
    "François",
    "Gabriel",
    "Grace",
    "Hana",
    "Hannah",
    "Hassan",
    "Helen",
    "Hugo",
    "Ibrahim",
    "Ines",
    "Isabel",
    "Ivan",
    "Jakob",
    "James",
    "Jana",
    "Javier",
    "Jin",
    "Joan",
    "Jonas",
    "José",
    "Julia",
    "Karim",
    "Kate",
    "Kenji",
    "Lars",
    "Laura",
    "Leila",
    "Leo",
    "Lucía",
    "Luis",
    "Maya",
    "Marco",
    "Maria",
    "Mark",
    "Martin",
    "Mateo",
    "Mei",
    "Michael",
    "Miguel",
    "Mira",
    "Nadia",
    "Nathan",
    "Nina",
    "Noah",
    "Nora",
    "Olga",
    "Omar",
    "Oscar",
    "Paul",
    "Priya",
    "Rafael",
    "Rania",
    "René",
    "Rosa",
    "Ruth",
    "Sam",
    "Samir",
    "Sara",
    "Simon",
    "Sofia",
    "Søren",
    "Stefan",
    "Tariq",
    "Tomás",
    "Una",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoë",
    "Zainab",
    "Jürgen",
    "Ingrid",
    "Agnès",
    "Léa",
    "Joël",
    "Noël",
    "Ramón",
    "Iñaki",
    "Núria",
    "Øystein",
    "Malik",
    "Tendai",
    "Kofi",
    "Amaka",
    "Chidi",
    "Thandiwe",
    "Lwazi",
    "Sunita",
    "Rohan",
    "Deepa",
    "Haruki",
    "Yuki",
    "Minh",
    "Linh",
    "Soo-ah",
]

_ONSETS = [
    "b",
    "bl",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "fr",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "th",
    "b",
    "d",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ei", "ou", "ia"]
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "th", "nd", "rk", "st", "x", "v"]

_SURNAME_ENDINGS = [
    "son",
    "sen",
    "sson",
    "ez",
    "es",
    "ski",
    "ska",
    "ova",
    "ov",
    "er",
    "berg",
    "ley",
    "ton",
    "well",
    "more",
    "ini",
    "elli",
    "escu",
    "ovic",
    "ström",
    "mann",
    "ard",
    "ier",
    "ault",
    "ley",
    "ham",
    "wood",
    "by",
    "field",
    "ek",
    "ak",
    "ian",
    "yan",
    "oglu",
    "ada",
    "eira",
    "uez",
    "ani",
    "ta",
    "ko",
]
_PLACE_ENDINGS = [
    "ford",
    "ton",
    "vik",
    "heim",
    "ville",
    "bridge",
    "stad",
    "mouth",
    "by",
    "dale",
    "burg",
    "haven",
    "field",
    "port",
    "wick",
    "ham",
    "holm",
    "aro",
    "ova",
    "ía",
    "ora",
    "minster",
    "combe",
    "thorpe",
    "stead",
    "sund",
    "berg",
    "lund",
    "mere",
]
_PLACE_PREFIXES = ["", "", "", "", "", "", "Port ", "New ", "San ", "Upper ", "East ", "West "]
_REGION_ENDINGS = ["ia", "land", "ora", "esh", "ania", "mark", "shire", "vale", "onia"]

_ACCENTS = {"e": "é", "u": "ü", "o": "ø", "n": "ñ", "a": "á", "i": "í"}


_SIMPLE_CODAS = ["", "", "", "n", "r", "l", "s"]


def _syllable(rng: random.Random, last: bool) -> str:
    # Heavy codas only word-finally keep coined names pronounceable.
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS if last else _SIMPLE_CODAS)


def _join(stem: str, ending: str) -> str:
    """Attach an ending, eliding a stem-final vowel before a vowel-initial ending."""
    if ending and ending[0] in "aeiouí" and stem[-1] in "aeiou":
        stem = stem[:-1]
    return stem + ending


def _accent(word: str, rng: random.Random, rate: float) -> str:
    """Put an accent on one letter of ``word`` now and then."""
    if rng.random() >= rate:
        return word
    spots = [i for i, ch in enumerate(word) if i > 0 and ch in _ACCENTS]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + _ACCENTS[word[i]] + word[i + 1 :]


def _tidy(stem: str) -> str:
    """Cap runs of the same letter, as real names rarely triple a letter."""
    return re.sub(r"(.)\1{2,}", r"\1\1", stem).capitalize()


def coined_word(rng: random.Random, syllables: int = 2) -> str:
    """A pronounceable invented word, capitalised (a brand or a name stem)."""
    return _tidy("".join(_syllable(rng, i == syllables - 1) for i in range(syllables)))


def given_name(rng: random.Random) -> str:
    """A first name: mostly common ones, sometimes invented."""
    if rng.random() < 0.75:
        return rng.choice(_GIVEN_NAMES)
    stem = _join(coined_word(rng, rng.choice((1, 2, 2))), rng.choice(("", "a", "o", "")))
    return _accent(stem, rng, 0.1)


def surname(rng: random.Random) -> str:
    """An invented family name, occasionally double-barrelled or accented."""
    stem = coined_word(rng, rng.choice((1, 1, 2)))
    name = _accent(_join(stem, rng.choice(_SURNAME_ENDINGS)), rng, 0.18)
    if rng.random() < 0.05:
        second = _join(coined_word(rng, 1), rng.choice(_SURNAME_ENDINGS))
        name += "-" + _accent(second, rng, 0.1)
    return name


def place_name(rng: random.Random) -> str:
    """An invented town or city."""
    stem = coined_word(rng, rng.choice((1, 1, 2)))
    return rng.choice(_PLACE_PREFIXES) + _accent(_join(stem, rng.choice(_PLACE_ENDINGS)), rng, 0.1)


def region_name(rng: random.Random) -> str:
    """An invented region or country."""
    return _accent(_join(coined_word(rng, 2), rng.choice(_REGION_ENDINGS)), rng, 0.08)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone quoted or named in a story."""

    given: str
    family: str
    role: str
    """What they are, with its organisation: ``mayor of Varnholt``."""

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def person(rng: random.Random, role: str) -> Person:
    """A fresh person holding ``role``."""
    return Person(given_name(rng), surname(rng), role)


_ORG_PATTERNS: dict[str, tuple[str, ...]] = {
    "council": ("{place} City Council", "{place} District Council", "{place} Town Council"),
    "court": ("{place} Crown Court", "the {region} High Court", "{place} District Court"),
    "company": (
        "{brand} Holdings",
        "{brand} Industries",
        "{brand} Group",
        "{brand} Systems",
        "{brand} Labs",
        "{brand} Energy",
        "{brand} Foods",
        "{brand} Logistics",
        "{brand} Motors",
    ),
    "union": (
        "the {region} Transport Workers' Union",
        "the {brand} Nurses' Association",
        "the {place} Teachers' Federation",
        "the {region} Dockworkers' Union",
    ),
    "university": (
        "the University of {place}",
        "{place} Institute of Technology",
        "{brand} University",
    ),
    "team": (
        "{place} United",
        "{place} Rovers",
        "{place} Athletic",
        "{place} Wanderers",
        "FC {place}",
    ),
    "agency": (
        "the {region} Weather Service",
        "{place} Fire and Rescue Service",
        "the {region} Environment Agency",
        "the {region} Statistics Office",
    ),
    "ministry": (
        "the {region} Ministry of Trade",
        "the {region} Trade Office",
        "the {region} Foreign Ministry",
    ),
    "party": (
        "the {brand} Party",
        "the {region} Democratic Alliance",
        "the People's Party of {region}",
    ),
    "hospital": ("{place} General Hospital", "St {given}'s Hospital", "{place} Royal Infirmary"),
}


def organisation(rng: random.Random, kind: str, place: str, region: str) -> str:
    """An organisation of ``kind`` (council, court, company, ...) tied to a place."""
    pattern = rng.choice(_ORG_PATTERNS[kind])
    return pattern.format(
        place=place,
        region=region,
        brand=coined_word(rng, rng.choice((2, 3))),
        given=given_name(rng),
    )


_OUTLET_NOUNS = [
    "Herald",
    "Courier",
    "Gazette",
    "Post",
    "Chronicle",
    "Tribune",
    "Observer",
    "Ledger",
    "Sentinel",
    "Times",
    "Mail",
    "Express",
    "Journal",
    "Record",
    "Bulletin",
    "Dispatch",
    "Star",
    "Examiner",
    "Monitor",
    "Argus",
]


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news site with its own house style."""

    name: str
    domain: str
    curly_quotes: bool
    per_cent: bool
    """Writes ``12 per cent`` rather than ``12%``."""
    dateline: bool
    """Opens stories with ``PLACE —``."""
    day_first: bool
    """Writes ``14 March`` rather than ``March 14``."""


def outlet(rng: random.Random) -> Outlet:
    """A fresh invented outlet with a random house style."""
    roll = rng.random()
    if roll < 0.6:
        name = f"The {place_name(rng)} {rng.choice(_OUTLET_NOUNS)}"
    elif roll < 0.8:
        name = f"{coined_word(rng, 2)} {rng.choice(('News', 'Wire', 'Daily', 'Today', 'Online'))}"
    else:
        name = f"{region_name(rng)} {rng.choice(('Public Radio', 'Broadcasting', 'News Network'))}"
    slug = re.sub(
        r"[^a-z]+", "", name.lower().removeprefix("the ").encode("ascii", "ignore").decode()
    )
    return Outlet(
        name=name,
        domain=f"www.{slug}.example",
        curly_quotes=rng.random() < 0.5,
        per_cent=rng.random() < 0.4,
        dateline=rng.random() < 0.3,
        day_first=rng.random() < 0.5,
    )
