"""The benchmark's synthetic news corpus: events, their originals and retellings.

An event is one news story (a council vote, a storm, a court case, ...) with
its cast, numbers and facts. Its *original* is the article an archive would
index; its *retellings* are independent reports of the same event by other
outlets: same names, places and numbers, maybe one identical short quote, but
their own words and sentence structures. Those are the hard negatives for a
copy detector: they are about the same thing without being copies.

Everything is generated from a seed, event by event, so event ``i`` comes out
the same whatever ``n_events`` is.
"""

from __future__ import annotations

import datetime
import multiprocessing
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from bench.entities import (
    Outlet,
    Person,
    coined_word,
    given_name,
    organisation,
    outlet,
    person,
    place_name,
    region_name,
)
from bench.frames import FRAMES, MONTHS, WEEKDAYS, Frame, draw_value
from bench.grammar import Cast, Writer, choose_alternatives, tidy
from bench.lexicon import load_lexicon
from unspin.model import Document

MIN_WORDS = 250
MAX_WORDS = 600
SHARED_QUOTE_RATE = 0.3
"""How often a retelling repeats one of the original's quotes word for word."""
STATEMENT_WORDS = (60, 150)
"""Length range of the statement that both tellings of a shared-statement pair quote."""

_OUTLET_POOL = 400
_FIRST_DAY = datetime.date(2012, 1, 1)
_DAYS = 13 * 365
_SLUG = re.compile(r"[^a-z0-9]+")
_JOURNAL_FIELDS = ("Medicine", "Health", "Science", "Review")
_MODELS = ("X", "Pro", "One", "Air", "Go")
_SCHOOLS = ("Academy", "Primary School", "High School", "Grammar School")


@dataclass(frozen=True, slots=True)
class Event:
    """One story: its original article and its independent retellings."""

    id: str
    topic: str
    original: Document
    retellings: tuple[Document, ...]
    names: tuple[str, ...]
    """People, places and organisations that every telling may name."""
    numbers: tuple[str, ...]
    """The event's figures (as the original writes them, house style aside)."""
    shared_quotes: tuple[str | None, ...]
    """Per retelling: the original's quote it repeats verbatim, or None."""

    @property
    def documents(self) -> tuple[Document, ...]:
        """The original followed by the retellings."""
        return (self.original, *self.retellings)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything about an event that all its tellings share."""

    frame: Frame
    cast: Cast
    date: datetime.date
    quotes: tuple[tuple[str, str], ...]
    """The original's quotes as (speaker key, words)."""


@cache
def _outlets(seed: int) -> tuple[Outlet, ...]:
    rng = random.Random(f"{seed}:outlets")
    return tuple(outlet(rng) for _ in range(_OUTLET_POOL))


def _plan(rng: random.Random, house: Outlet) -> _Plan:
    """Draw an event: topic, cast, numbers, date and the original's quotes."""
    frame = rng.choice(FRAMES)
    date = _FIRST_DAY + datetime.timedelta(days=rng.randrange(_DAYS))
    place, region = place_name(rng), region_name(rng)
    values = {
        "place": place,
        "place2": place_name(rng),
        "region": region,
        "region2": region_name(rng),
        "storm": given_name(rng),
        "journal": f"{coined_word(rng, 2)} {rng.choice(_JOURNAL_FIELDS)}",
        "fest": rng.choice(
            ("Jazz", "Food", "Folk", "Book", "Film", "Lantern", "Harvest", "Street Art")
        ),
        "product": f"{coined_word(rng, 2)} {rng.choice(_MODELS)}{rng.randint(2, 9)}",
        "school": f"{place} {rng.choice(_SCHOOLS)}",
        "weekday": WEEKDAYS[date.weekday()],
        "month_name": MONTHS[date.month - 1],
        "day": str(date.day),
    }
    for i, kind in enumerate(frame.orgs, start=1):
        # A rival of the same kind (the away team) comes from elsewhere.
        home = place if i == 1 or kind != frame.orgs[0] else values["place2"]
        values[f"org{i}"] = organisation(rng, kind, home, region)
    values["org3"] = organisation(rng, "university", values["place2"], region)
    for slot, kind in frame.values.items():
        values[slot] = draw_value(kind, rng)
    people: dict[str, Person] = {}
    for i, role in enumerate(frame.roles, start=1):
        people[f"p{i}"] = person(rng, choose_alternatives(role, rng).format_map(values))
    names = (place, region, values["org1"], values["org2"])
    cast = Cast(people, values, frame.nouns, names)
    writer = Writer(rng, load_lexicon(), house, cast)
    speakers = sorted(people)
    quotes = tuple((rng.choice(speakers), writer.utterance()) for _ in range(rng.randint(2, 3)))
    return _Plan(frame, cast, date, quotes)


def _word_count(text: str) -> int:
    return len(text.split())


def _headline(plan: _Plan, rng: random.Random, house: Outlet) -> str:
    """A short headline from the lead fact, in the present tense."""
    writer = Writer(rng, load_lexicon(), house, plan.cast, mentioned=set(plan.cast.people))
    lead = plan.frame.facts[0]
    verb = rng.choice(lead.verbs)
    if lead.subj is None:
        verb_group = writer.verb_group(verb, lead.obj_plural, "present", passive=True)
        head = f"{writer.fill(lead.obj or '')} {verb_group}"
    else:
        head = f"{writer.fill(lead.subj)} {writer.verb_group(verb, lead.subj_plural, 'present')}"
        if lead.obj:
            head += " " + writer.fill(lead.obj)
    head = tidy(re.sub(r"^(the|a|an) ", "", head, flags=re.IGNORECASE).replace(", ", " "))
    if rng.random() < 0.5:
        head = " ".join(w[:1].upper() + w[1:] if len(w) > 3 else w for w in head.split())
    return head


def _write(
    plan: _Plan,
    rng: random.Random,
    house: Outlet,
    quotes: list[tuple[str, str]],
    extra: Sequence[str] = (),
) -> str:
    """Write one telling: the lead fact, the other facts and quotes, background to length.

    ``extra``: finished sentences (a quoted statement) placed like the quotes.
    """
    writer = Writer(rng, load_lexicon(), house, plan.cast)
    lede = writer.fact(plan.frame.facts[0], lead=True)
    if house.dateline:
        lede = f"{plan.cast.values['place'].upper()} — {lede}"
    required = [writer.fact(f) for f in plan.frame.facts[1:]]
    required += [writer.attributed(text, speaker) for speaker, text in quotes]
    required += extra
    rng.shuffle(required)
    body = [lede, *required]
    target = rng.randint(MIN_WORDS + 30, MAX_WORDS - 50)
    words = sum(_word_count(s) for s in body)
    while words < target:
        sentence = writer.sentence()
        if words + _word_count(sentence) > MAX_WORDS - 10:
            if words >= MIN_WORDS:
                break
            continue
        body.insert(rng.randint(1, len(body)), sentence)
        words += _word_count(sentence)
    return _paragraphs(body, rng)


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    """Group sentences into short news paragraphs; quotes often stand alone."""
    paragraphs: list[list[str]] = [[sentences[0]]]
    for sentence in sentences[1:]:
        quoted = sentence[:1] in '“"' or sentence.endswith(("”", '"'))
        if quoted or len(paragraphs[-1]) >= rng.choice((1, 2, 2, 3)):
            paragraphs.append([sentence])
        else:
            paragraphs[-1].append(sentence)
    return "\n\n".join(" ".join(p) for p in paragraphs)


def _document(
    doc_id: str, plan: _Plan, rng: random.Random, house: Outlet, text: str, delay: int
) -> Document:
    title = _headline(plan, rng, house)
    day = plan.date + datetime.timedelta(days=delay)
    slug = _SLUG.sub("-", title.lower().encode("ascii", "ignore").decode()).strip("-")[:60]
    return Document(
        id=doc_id,
        text=text,
        url=f"https://{house.domain}/{day:%Y/%m/%d}/{slug}-{doc_id}",
        title=title,
        site=house.name,
        published=day.isoformat(),
    )


def make_event(index: int, seed: int, retellings: int, namespace: str = "ev") -> Event:
    """Generate event ``index`` of a corpus: deterministic in (namespace, seed, index)."""
    rng = random.Random(f"{namespace}:{seed}:{index}")
    pool = _outlets(seed)
    houses = rng.sample(pool, retellings + 1)
    plan = _plan(rng, houses[0])
    event_id = f"{namespace}{index:06d}"
    original_text = _write(plan, rng, houses[0], list(plan.quotes))
    original = _document(f"{event_id}-o", plan, rng, houses[0], original_text, 0)
    tellings: list[Document] = []
    shared: list[str | None] = []
    for k in range(1, retellings + 1):
        # Each retelling draws from its own stream: an independent writer.
        trng = random.Random(f"{namespace}:{seed}:{index}:{k}")
        writer = Writer(trng, load_lexicon(), houses[k], plan.cast)
        speakers = sorted(plan.cast.people)
        quotes = [(trng.choice(speakers), writer.utterance()) for _ in range(trng.randint(1, 2))]
        copied: str | None = None
        if trng.random() < SHARED_QUOTE_RATE:
            speaker, copied = trng.choice(plan.quotes)
            quotes[0] = (speaker, copied)
        text = _write(plan, trng, houses[k], quotes)
        tellings.append(
            _document(f"{event_id}-r{k}", plan, trng, houses[k], text, trng.choice((0, 0, 1)))
        )
        shared.append(copied)
    values = plan.cast.values
    names = (
        *(p.full for p in plan.cast.people.values()),
        *plan.cast.names,
    )
    numbers = tuple(values[slot] for slot in plan.frame.values)
    return Event(
        event_id, plan.frame.name, original, tuple(tellings), names, numbers, tuple(shared)
    )


def _retelling_counts(
    n_events: int, seed: int, retellings_per_event: int | tuple[int, int]
) -> list[int]:
    low, high = (
        (retellings_per_event, retellings_per_event)
        if isinstance(retellings_per_event, int)
        else retellings_per_event
    )
    counts = random.Random(f"counts:{seed}")
    return [counts.randint(low, high) for _ in range(n_events)]


def iter_corpus(
    n_events: int, seed: int, retellings_per_event: int | tuple[int, int] = (0, 2)
) -> Iterator[Event]:
    """Yield events one by one; see ``generate_corpus``."""
    for i, count in enumerate(_retelling_counts(n_events, seed, retellings_per_event)):
        yield make_event(i, seed, count)


def generate_corpus(
    n_events: int,
    seed: int,
    retellings_per_event: int | tuple[int, int] = (0, 2),
    workers: int = 1,
) -> list[Event]:
    """Generate ``n_events`` events, each with an original and its retellings.

    ``retellings_per_event`` is an exact count or an inclusive (low, high)
    range drawn per event. Originals have ids ``ev000123-o``, retellings
    ``ev000123-r1``, ``-r2``. ``workers > 1`` spreads events over processes;
    the output is the same either way.
    """
    if workers <= 1:
        return list(iter_corpus(n_events, seed, retellings_per_event))
    jobs = [
        (i, seed, count)
        for i, count in enumerate(_retelling_counts(n_events, seed, retellings_per_event))
    ]
    load_lexicon()  # once here, inherited by forked workers
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers) as pool:
        return pool.starmap(make_event, jobs, chunksize=64)


def generate_unrelated(n: int, seed: int) -> list[Document]:
    """Originals of ``n`` events that are never part of any corpus (ids ``un000123-o``).

    They come from their own random stream, so they share no event with
    ``generate_corpus`` output; use them to measure false matches.
    """
    return [make_event(i, seed, 0, namespace="un").original for i in range(n)]


@dataclass(frozen=True, slots=True)
class SharedStatement:
    """Two independent tellings of one event that quote the same statement."""

    original: Document
    retelling: Document
    statement: str
    """The statement's words, as both texts quote them (between the quotation marks)."""


def _statement(writer: Writer, rng: random.Random) -> str:
    """A few sentences of official speech, :data:`STATEMENT_WORDS` words long."""
    low, high = STATEMENT_WORDS
    target = rng.randint(low, high)
    sentences: list[str] = []
    words = 0
    while words < target:
        sentence = writer.utterance()
        if words + _word_count(sentence) > high:
            if words >= low:
                break
            continue
        sentences.append(sentence)
        words += _word_count(sentence)
    return " ".join(sentences)


def _quoted_statement(
    writer: Writer, rng: random.Random, statement: str, organisation: str, speaker: str
) -> str:
    """The statement in quotation marks, attributed in one of several house patterns."""
    inner = statement.rstrip(".")
    trailing = inner if inner.endswith("?") else inner + ","
    roll = rng.random()
    if roll < 0.25:
        return f"In a statement, {organisation} said: {writer.quote(statement)}"
    if roll < 0.45:
        return f"{organisation} said in a statement: {writer.quote(statement)}"
    if roll < 0.65:
        return f"{writer.quote(trailing)} {organisation} said in a statement."
    if roll < 0.8:
        return f"A statement from {organisation} read: {writer.quote(statement)}"
    return writer.attributed(statement, speaker)


def make_shared_statement(index: int, seed: int, namespace: str = "ss") -> SharedStatement:
    """An original and an independent retelling that both quote one long statement.

    The statement (:data:`STATEMENT_WORDS` words, a few sentences, by the
    event's first organisation or one of its people) is the same words in
    both; each telling attributes it in its own way and its own quotation
    marks, and is otherwise written by its own writer, as a retelling is.
    Ids ``ss000123-o`` and ``ss000123-r1``; deterministic in (namespace,
    seed, index).
    """
    rng = random.Random(f"{namespace}:{seed}:{index}")
    houses = rng.sample(_outlets(seed), 2)
    plan = _plan(rng, houses[0])
    event_id = f"{namespace}{index:06d}"
    srng = random.Random(f"{namespace}:{seed}:{index}:statement")
    statement = _statement(Writer(srng, load_lexicon(), houses[0], plan.cast), srng)
    speaker = srng.choice(sorted(plan.cast.people))
    organisation = plan.cast.values["org1"]
    tellings: list[Document] = []
    for k, house in enumerate(houses):
        trng = rng if k == 0 else random.Random(f"{namespace}:{seed}:{index}:{k}")
        writer = Writer(trng, load_lexicon(), house, plan.cast)
        if k == 0:
            quotes = list(plan.quotes)
        else:
            speakers = sorted(plan.cast.people)
            quotes = [
                (trng.choice(speakers), writer.utterance()) for _ in range(trng.randint(1, 2))
            ]
        quoted = _quoted_statement(writer, trng, statement, organisation, speaker)
        text = _write(plan, trng, house, quotes, extra=[quoted])
        suffix = "o" if k == 0 else f"r{k}"
        delay = 0 if k == 0 else trng.choice((0, 0, 1))
        tellings.append(_document(f"{event_id}-{suffix}", plan, trng, house, text, delay))
    return SharedStatement(tellings[0], tellings[1], statement)
