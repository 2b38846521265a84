"""Invented site furniture that scraped copies arrive wrapped in."""

from __future__ import annotations

import random

_SITE_FIRST = ("Daily", "Morning", "Global", "Metro", "Evening", "National", "Coastal", "Capital")
_SITE_SECOND = ("Ledger", "Herald", "Dispatch", "Wire", "Post", "Chronicle", "Bulletin", "Review")
_SECTIONS = ("World", "Politics", "Business", "Sport", "Culture", "Tech", "Opinion", "Science")
_AUTHORS_FIRST = ("Dana", "Milo", "Priya", "Tomas", "Lena", "Owen", "Ines", "Kofi")
_AUTHORS_LAST = ("Varga", "Holloway", "Nakamura", "Brandt", "Okafor", "Lindqvist", "Moreau")
_SUBJECTS = (
    "Local council",
    "Tech firm",
    "Star striker",
    "City mayor",
    "Rail operator",
    "Film studio",
    "Central bank",
    "School board",
    "Startup founder",
    "Harbour authority",
)
_PREDICATES = (
    "unveils new plan",
    "faces fresh criticism",
    "signs surprise deal",
    "denies report",
    "cuts jobs",
    "wins award",
    "delays launch",
    "responds to protest",
    "raises prices",
    "announces review",
)
_SOCIAL = ("Facebook", "X", "WhatsApp", "Email", "LinkedIn")


def _site(rng: random.Random) -> str:
    return f"The {rng.choice(_SITE_FIRST)} {rng.choice(_SITE_SECOND)}"


def _headline(rng: random.Random) -> str:
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_PREDICATES)}"


def _date(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def header(rng: random.Random) -> str:
    """Lines a site prints above an article (navigation, byline, share bar)."""
    site = _site(rng)
    lines = [site]
    if rng.random() < 0.6:
        lines.append(" | ".join(["Home", *rng.sample(_SECTIONS, rng.randint(3, 6))]))
    if rng.random() < 0.7:
        author = f"{rng.choice(_AUTHORS_FIRST)} {rng.choice(_AUTHORS_LAST)}"
        lines.append(f"By {author} | {_date(rng)}")
    if rng.random() < 0.4:
        lines.append(f"{rng.randint(2, 9)} min read")
    if rng.random() < 0.5:
        lines.append("Share this article: " + " · ".join(rng.sample(_SOCIAL, 3)))
    if rng.random() < 0.5:
        lines.append("Advertisement")
    return "\n".join(lines)


def footer(rng: random.Random) -> str:
    """Lines a site prints below an article (related links, newsletter, copyright)."""
    site = _site(rng)
    blocks: list[str] = []
    if rng.random() < 0.6:
        blocks.append("Share this article")
    if rng.random() < 0.5:
        blocks.append("Advertisement")
    if rng.random() < 0.8:
        title = rng.choice(("Related", "Read more", "You may also like", "More from " + site))
        links = [f"- {_headline(rng)}" for _ in range(rng.randint(2, 4))]
        blocks.append("\n".join([title + ":", *links]))
    if rng.random() < 0.6:
        blocks.append("Sign up for our newsletter to get the top stories every morning.")
    if rng.random() < 0.4:
        blocks.append(f"Tags: {', '.join(rng.sample(_SECTIONS, 2))}")
    if rng.random() < 0.4:
        blocks.append(f"Comments ({rng.randint(0, 240)})")
    blocks.append(f"© 2026 {site}. All rights reserved.")
    return "\n".join(blocks)


def interstitial(rng: random.Random) -> str:
    """A line sites drop between paragraphs."""
    return rng.choice(
        ("Advertisement", "ADVERTISEMENT", f"Read more: {_headline(rng)}", "Story continues below")
    )
