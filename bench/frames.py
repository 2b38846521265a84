"""Topic frames: the kinds of news event the corpus reports, and their facts.

A frame lists who is involved (people by role, organisations by kind), which
numbers the story turns on, and the facts every telling of the event must
report. Facts are semantic, not sentences: a subject, a choice of verbs, an
object and extra phrases, written in a small template language that
``bench.grammar`` realises differently on every telling:

- ``{slot}`` is an event value (``{place}``, ``{money}``, ``{org1}``);
- ``{@p1}`` mentions person 1 (full name and role first, surname after);
- ``{when}`` is the event day, as a weekday or a date;
- ``[a|b|c]`` picks one alternative per telling.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing that happened, realised as a clause.

    ``subj=None`` makes an agentless passive (``two people were hurt``);
    ``obj=None`` an intransitive clause. Extras starting with a comma stay at
    the end of the sentence; the others may move to the front.
    """

    subj: str | None
    verbs: tuple[str, ...]
    obj: str | None = None
    extras: tuple[str, ...] = ()
    subj_plural: bool = False
    obj_plural: bool = False
    passive: bool = True
    """False where the object is a clause or small clause (``call X "Y"``)."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A kind of event: its cast, its numbers and its facts (the first is the lead)."""

    name: str
    orgs: tuple[str, ...]
    roles: tuple[str, ...]
    nouns: tuple[str, ...]
    values: dict[str, str]
    facts: tuple[Fact, ...]
    extra_people: tuple[str, ...] = field(default=())


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def _money(rng: random.Random, low: float, high: float) -> str:
    symbol = rng.choice("$$€£")
    amount = rng.uniform(low, high)
    if amount >= 1e9:
        return f"{symbol}{amount / 1e9:.1f} billion"
    if amount >= 1e6:
        return f"{symbol}{amount / 1e6:.1f} million"
    return f"{symbol}{round(amount, -3):,.0f}"


def draw_value(kind: str, rng: random.Random) -> str:
    """One event number of ``kind``; percentages come back bare (house style adds the sign)."""
    match kind:
        case "money":
            return _money(rng, 2e5, 9e8)
        case "bigmoney":
            return _money(rng, 1e8, 4e10)
        case "count":
            return f"{rng.randint(120, 48000):,}"
        case "small":
            return str(rng.randint(2, 40))
        case "word":
            return rng.choice(_NUMBER_WORDS)
        case "pct":
            return f"{rng.uniform(0.5, 45):.1f}" if rng.random() < 0.6 else str(rng.randint(2, 60))
        case "year":
            return str(rng.randint(1952, 2014))
        case "age":
            return str(rng.randint(19, 88))
        case "goals":
            return str(rng.randint(0, 4))
        case "speed":
            return f"{rng.randint(8, 21) * 10} km/h"
        case "rain":
            return f"{rng.randint(40, 300)} mm"
        case "area":
            return f"{rng.randint(30, 9000):,} hectares"
        case "month":
            return rng.choice(MONTHS)
        case "time":
            return f"{rng.randint(1, 11)}:{rng.randint(0, 59):02d} {rng.choice(('a.m.', 'p.m.'))}"
        case "ordinal":
            n = rng.randint(2, 89)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            return f"{n}{suffix}"
        case "sentence":
            return f"{rng.randint(2, 25)} years"
    raise ValueError(f"unknown value kind {kind!r}")


_F = Fact
FRAMES: tuple[Frame, ...] = (
    Frame(
        "council_vote",
        ("council", "union"),
        (
            "the mayor of {place}",
            "an opposition councillor",
            "chair of the {place} Residents' Association",
        ),
        ("budget", "council", "tax", "housing", "road", "library", "service", "resident", "levy"),
        {
            "money": "money",
            "yes": "small",
            "no": "small",
            "pct": "pct",
            "count": "count",
            "month": "month",
        },
        (
            _F(
                "{org1}",
                ("approve", "pass", "back", "adopt", "endorse"),
                "[a|its] [budget|spending plan|funding package] worth {money}",
                ("by {yes} votes to {no}", "on {when}"),
            ),
            _F(
                "{@p2}",
                ("vote against", "oppose", "criticise"),
                "the [measure|proposal|plan]",
                (", [arguing|saying|warning] it would raise [local taxes|council tax] by {pct}",),
            ),
            _F(
                "[the changes|the new rules]",
                ("take effect", "come into force"),
                None,
                ("in {month}",),
                subj_plural=True,
            ),
            _F(
                "{count} [residents|people]",
                ("sign", "back"),
                "a petition [against|opposing] the [plan|scheme]",
                (),
                subj_plural=True,
            ),
            _F(
                "{@p1}",
                ("defend", "champion"),
                "the [decision|vote]",
                ("[at|during] a [meeting|session] on {when}",),
            ),
        ),
    ),
    Frame(
        "court_case",
        ("court", "company"),
        ("a former manager at {org2}", "the judge", "a lawyer for the defence"),
        ("trial", "jury", "court", "fraud", "sentence", "evidence", "witness", "appeal", "charge"),
        {"sentence": "sentence", "money": "money", "age": "age", "small": "small", "year": "year"},
        (
            _F(None, ("sentence", "jail"), "{@p1}", ("to {sentence} in prison", "on {when}")),
            _F(
                "the {age}-year-old",
                ("admit", "deny"),
                "[stealing|taking|diverting] {money} from {org2}",
                ("between {year} and [last year|2016|2019]",),
            ),
            _F(
                "the jury",
                ("hear", "learn"),
                "that [the money|the cash] had been [moved|hidden] through {small} "
                "[accounts|companies]",
                (),
                passive=False,
            ),
            _F(
                "{@p2}",
                ("describe", "call"),
                "the [scheme|fraud] “[calculated|deliberate|brazen]”",
                ("[at|in] {org1}",),
                passive=False,
            ),
            _F(
                "{@p3}",
                ("say", "indicate"),
                "[an appeal was likely|the case would be appealed]",
                (),
                passive=False,
            ),
        ),
    ),
    Frame(
        "storm",
        ("agency", "council"),
        ("a forecaster at {org1}", "a resident of {place}", "the head of {org2}"),
        ("storm", "wind", "rain", "flood", "power", "roof", "tree", "road", "warning", "coast"),
        {"speed": "speed", "rain": "rain", "count": "count", "word": "word", "time": "time"},
        (
            _F(
                "[a|the] [storm|gale] [named|called] Storm {storm}",
                ("batter", "hit", "sweep across", "lash"),
                "{place} and [much of|parts of|large areas of] {region}",
                ("on {when}",),
            ),
            _F(
                "[gusts|winds]",
                ("reach", "top", "hit"),
                "{speed}",
                ("[near|at|along] the coast",),
                subj_plural=True,
            ),
            _F(
                None,
                ("leave", "cut off"),
                "{count} [homes|households|properties] without power",
                ("[overnight|by the evening|by {time}]",),
                obj_plural=True,
            ),
            _F(
                None,
                ("injure", "hurt"),
                "{word} people",
                ("by falling [trees|debris]",),
                obj_plural=True,
            ),
            _F(
                "{org1}",
                ("issue", "keep in place"),
                "[a red|an amber] warning for [rain|wind]",
                (", with up to {rain} of rain [expected|forecast]",),
            ),
        ),
    ),
    Frame(
        "match_result",
        ("team", "team"),
        ("the {org1} [manager|coach]", "the {org2} captain", "a striker for {org1}"),
        ("match", "goal", "season", "league", "fan", "stadium", "penalty", "player", "title"),
        {
            "home": "goals",
            "away": "goals",
            "minute": "ordinal",
            "count": "count",
            "rank": "ordinal",
        },
        (
            _F(
                "{org1}",
                ("beat", "defeat", "overcome"),
                "{org2}",
                ("{home}-{away} [at home|in {place}]", "on {when}"),
            ),
            _F(
                "{@p3}",
                ("score", "net"),
                "[the winner|the decisive goal]",
                ("in the {minute} minute",),
            ),
            _F(
                "[a crowd of|some] {count} [fans|spectators|supporters]",
                ("watch", "see"),
                "the [match|game]",
                (),
                subj_plural=True,
            ),
            _F(
                "the [win|result|victory]",
                ("lift", "move"),
                "{org1}",
                ("[to|into] {rank} place [in the table|in the league]",),
            ),
            _F(
                "{@p2}",
                ("blame", "criticise"),
                "[the referee|the defence|the conditions]",
                ("[after the match|afterwards]",),
            ),
        ),
    ),
    Frame(
        "earnings",
        ("company", "company"),
        ("chief executive of {org1}", "an analyst at {org2}", "the finance director of {org1}"),
        ("profit", "revenue", "share", "investor", "market", "quarter", "sale", "cost", "forecast"),
        {"money": "bigmoney", "pct": "pct", "pct2": "pct", "count": "count"},
        (
            _F(
                "{org1}",
                ("report", "post", "announce"),
                "[a|an annual|a quarterly] profit of {money}",
                ("on {when}",),
            ),
            _F("[revenue|sales]", ("rise", "climb", "grow"), None, ("by {pct}",)),
            _F(
                "[shares in|the share price of] {org1}",
                ("fall", "drop", "slide"),
                None,
                ("{pct2} in [early|afternoon] trading",),
                subj_plural=True,
            ),
            _F(
                "the [company|firm|group]",
                ("plan", "intend"),
                "to cut {count} jobs",
                ("[by|before] the end of the year",),
                passive=False,
            ),
            _F("{@p1}", ("blame", "cite"), "[higher costs|weak demand|a strong currency]", ()),
        ),
    ),
    Frame(
        "study",
        ("university", "hospital"),
        ("a researcher at {org1}", "lead author of the study", "a professor at {org2}"),
        ("study", "research", "patient", "risk", "data", "result", "trial", "scientist", "health"),
        {"count": "count", "pct": "pct", "small": "small"},
        (
            _F(
                "[a study|new research|a paper] [by|from] {org1}",
                ("find", "suggest", "show"),
                "that [regular|daily|moderate] [walking|reading|gardening|cycling] "
                "[cuts|reduces|lowers] the risk of [heart disease|dementia|depression] by {pct}",
                (),
                passive=False,
            ),
            _F(
                "[the researchers|the scientists|the team]",
                ("follow", "track", "study"),
                "{count} [adults|volunteers|people]",
                ("for {small} years",),
                subj_plural=True,
            ),
            _F(
                "the [findings|results]",
                ("appear in", "be published in"),
                "the journal {journal}",
                ("on {when}",),
                subj_plural=True,
            ),
            _F(
                "{@p2}",
                ("call", "describe"),
                "the [results|findings] “[striking|encouraging|surprising]”",
                (),
                passive=False,
            ),
            _F(
                "{@p3}",
                ("warn", "caution"),
                "that the study [could not|did not] prove cause and effect",
                (),
                passive=False,
            ),
        ),
    ),
    Frame(
        "strike",
        ("union", "company"),
        ("general secretary of {org1}", "a spokesperson for {org2}", "a commuter in {place}"),
        ("strike", "pay", "worker", "union", "offer", "talks", "service", "dispute", "wage"),
        {"count": "count", "pct": "pct", "pct2": "pct", "word": "word"},
        (
            _F(
                "{count} [workers|staff|members]",
                ("walk out", "strike"),
                None,
                ("on {when}", "in a dispute over pay"),
                subj_plural=True,
            ),
            _F("{org1}", ("reject", "turn down"), "a pay offer of {pct}", ("from {org2}",)),
            _F("the union", ("demand", "seek"), "[a rise of|an increase of] {pct2}", ()),
            _F("the [strike|walkout|stoppage]", ("last", "run"), None, ("for {word} days",)),
            _F(
                "{@p2}",
                ("urge", "call on"),
                "the union to return to [talks|the table]",
                (),
                passive=False,
            ),
        ),
    ),
    Frame(
        "election",
        ("party", "party"),
        (
            "leader of {org1}",
            "leader of {org2}",
            "a political scientist at the University of {place}",
        ),
        ("election", "vote", "voter", "seat", "campaign", "poll", "turnout", "candidate", "ballot"),
        {"pct": "pct", "pct2": "pct", "seats": "small", "year": "year"},
        (
            _F(
                "{org1}",
                ("win", "take", "secure"),
                "{pct} of the vote",
                ("in {region}'s [general|regional] election",),
            ),
            _F("the party", ("gain", "pick up", "win"), "{seats} seats", ()),
            _F("turnout", ("reach", "stand at"), "{pct2}", (", the highest since {year}",)),
            _F("{@p2}", ("concede", "accept"), "defeat", ("late on {when}",)),
            _F(
                "{@p1}",
                ("promise", "pledge"),
                "to [form a government|build a coalition] [within weeks|quickly]",
                (),
                passive=False,
            ),
        ),
    ),
    Frame(
        "fire",
        ("agency", "company"),
        ("a fire officer with {org1}", "a witness", "the owner of {org2}"),
        ("fire", "smoke", "building", "blaze", "firefighter", "crew", "roof", "damage", "flame"),
        {"small": "small", "word": "word", "time": "time", "count": "count", "money": "money"},
        (
            _F(
                "[a|the] [fire|blaze]",
                ("destroy", "gut", "tear through"),
                "[a warehouse|a factory|an apartment block] in {place}",
                ("on {when}",),
            ),
            _F(
                "{small} [fire engines|crews]",
                ("attend", "respond to"),
                "the [scene|blaze]",
                ("at {time}",),
                subj_plural=True,
            ),
            _F(
                None,
                ("evacuate", "move"),
                "{count} [residents|people]",
                ("from nearby [streets|homes]",),
                obj_plural=True,
            ),
            _F(
                None,
                ("treat", "take to hospital"),
                "{word} people",
                ("for smoke inhalation",),
                obj_plural=True,
            ),
            _F("the damage", ("be estimated at", "reach", "exceed"), "{money}", ()),
        ),
    ),
    Frame(
        "festival",
        ("council", "company"),
        ("director of the {place} {fest} Festival", "a visitor from {region}", "a stallholder"),
        ("festival", "music", "crowd", "stage", "ticket", "visitor", "artist", "weekend", "food"),
        {
            "count": "count",
            "small": "small",
            "word": "word",
            "money": "money",
            "year": "year",
            "pct": "pct",
        },
        (
            _F(
                "the {place} {fest} Festival",
                ("draw", "attract", "bring"),
                "{count} visitors",
                ("over the weekend",),
            ),
            _F(
                "{small} [acts|bands|artists]",
                ("perform", "play"),
                None,
                ("on {word} stages",),
                subj_plural=True,
            ),
            _F(
                "the [event|festival]",
                ("raise", "bring in"),
                "{money}",
                ("for local [charities|causes]",),
            ),
            _F("the festival", ("be founded", "begin", "start"), None, ("in {year}",)),
            _F("ticket sales", ("rise", "climb"), None, ("{pct} on last year",), subj_plural=True),
        ),
    ),
    Frame(
        "product_launch",
        ("company", "company"),
        ("chief executive of {org1}", "a technology analyst at {org2}", "head of design at {org1}"),
        (
            "device",
            "phone",
            "battery",
            "customer",
            "market",
            "feature",
            "price",
            "screen",
            "launch",
        ),
        {"money": "money", "price": "money", "count": "count", "month": "month"},
        (
            _F(
                "{org1}",
                ("unveil", "launch", "introduce"),
                "[a new|its latest] {product}",
                ("on {when}",),
            ),
            _F("the {product}", ("cost", "sell for", "retail at"), "{price}", ()),
            _F("the [device|product]", ("go on sale", "reach shops"), None, ("in {month}",)),
            _F("{org1}", ("spend", "invest"), "{money} [developing|designing] the {product}", ()),
            _F(
                "{@p2}",
                ("expect", "predict"),
                "the [company|firm] to sell {count} units [this year|in the first year]",
                (),
                passive=False,
            ),
        ),
    ),
    Frame(
        "trade_talks",
        ("ministry", "ministry"),
        (
            "trade minister of {region}",
            "the chief negotiator for {region2}",
            "an economist at {org3}",
        ),
        (
            "trade",
            "tariff",
            "export",
            "import",
            "deal",
            "negotiation",
            "agreement",
            "minister",
            "goods",
        ),
        {"money": "bigmoney", "pct": "pct", "word": "word", "month": "month"},
        (
            _F(
                "{region} and {region2}",
                ("agree", "sign"),
                "a [trade deal|trade agreement]",
                ("in {place}", "on {when}"),
                subj_plural=True,
            ),
            _F(
                "the [deal|agreement]",
                ("cut", "remove", "lower"),
                "tariffs on [steel|grain|cars|textiles]",
                ("by {pct}",),
            ),
            _F(
                "trade between the [two countries|two sides]",
                ("be worth", "total", "exceed"),
                "{money} a year",
                (),
            ),
            _F("the talks", ("last", "run"), None, ("{word} days",), subj_plural=True),
            _F("the [deal|agreement]", ("take effect", "come into force"), None, ("in {month}",)),
        ),
    ),
    Frame(
        "arrest",
        ("agency", "court"),
        ("a police spokesperson", "a neighbour", "a detective inspector"),
        (
            "police",
            "officer",
            "arrest",
            "suspect",
            "investigation",
            "charge",
            "robbery",
            "street",
            "witness",
        ),
        {"age": "age", "age2": "age", "money": "money"},
        (
            _F(
                "police",
                ("arrest", "detain"),
                "[a|two] [men|people|suspects] aged {age} and {age2}",
                ("[in|near] {place}", "on {when}"),
                subj_plural=True,
            ),
            _F(
                "the arrests",
                ("follow", "come after"),
                "a [robbery|raid|break-in] at a [jeweller's|bank|shop]",
                ("in which goods worth {money} were taken",),
                subj_plural=True,
            ),
            _F(
                "[officers|police]",
                ("recover", "find"),
                "[cash|jewellery|a vehicle]",
                ("at an address in {place}",),
                subj_plural=True,
            ),
            _F(
                "the suspects",
                ("appear", "be due to appear"),
                None,
                ("before {org2}",),
                subj_plural=True,
            ),
            _F("{@p1}", ("appeal", "ask"), "for witnesses to come forward", (), passive=False),
        ),
    ),
    Frame(
        "transport",
        ("company", "council"),
        ("chief executive of {org1}", "the transport secretary of {region}", "a commuter"),
        ("rail", "line", "station", "train", "passenger", "journey", "track", "bus", "service"),
        {"money": "bigmoney", "count": "count", "minutes": "small", "year": "year"},
        (
            _F(
                "[a|the] new [rail line|tram line|metro line]",
                ("open", "begin service"),
                None,
                ("between {place} and {place2}", "on {when}"),
            ),
            _F(
                "the [line|route]", ("cost", "take"), "{money} [to build|in construction costs]", ()
            ),
            _F("the line", ("cut", "shorten"), "journey times", ("by {minutes} minutes",)),
            _F(
                "[operators|officials]",
                ("expect", "forecast"),
                "{count} passengers a day",
                (),
                subj_plural=True,
            ),
            _F("construction", ("begin", "start"), None, ("in {year}",)),
        ),
    ),
    Frame(
        "hospital",
        ("hospital", "union"),
        ("chief executive of {org1}", "a nurse at {org1}", "a patient"),
        ("hospital", "patient", "ward", "nurse", "doctor", "waiting", "bed", "care", "staff"),
        {"count": "count", "pct": "pct", "small": "small", "word": "word"},
        (
            _F(
                "{org1}",
                ("declare", "announce"),
                "a critical incident",
                ("on {when}", "after a rise in [admissions|patients]"),
            ),
            _F(
                "{count} patients",
                ("wait", "queue"),
                None,
                ("more than {small} hours in [the emergency department|A&E]",),
                subj_plural=True,
            ),
            _F(
                "[waiting times|waiting lists]",
                ("grow", "rise"),
                None,
                ("by {pct}",),
                subj_plural=True,
            ),
            _F("the hospital", ("open", "add"), "{word} extra wards", ()),
            _F("{org2}", ("blame", "fault"), "[staff shortages|a lack of funding]", ()),
        ),
    ),
    Frame(
        "school",
        ("council", "union"),
        ("headteacher of {school}", "an education officer at {org1}", "a parent"),
        ("school", "pupil", "teacher", "exam", "class", "parent", "education", "grade", "building"),
        {"count": "count", "money": "money", "year": "year", "small": "small"},
        (
            _F(
                "{school}",
                ("close", "shut"),
                None,
                ("on {when}", "[after|following] [a leak|storm damage|a safety inspection]"),
            ),
            _F(
                "{count} pupils",
                ("move", "transfer"),
                None,
                ("to [temporary classrooms|nearby schools]",),
                subj_plural=True,
            ),
            _F("{org1}", ("pledge", "promise", "set aside"), "{money} for repairs", ()),
            _F("the school", ("be built", "open"), None, ("in {year}",)),
            _F(
                "{@p1}",
                ("expect", "hope"),
                "the building to reopen [within|in] {small} weeks",
                (),
                passive=False,
            ),
        ),
    ),
)
