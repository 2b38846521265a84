"""Detection v2: the model of English, passages judged on their own, evidence per flag."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from unspin import UnspinError
from unspin.detect import Detector, detect
from unspin.detect.english import EnglishModel, shared_english_model, word_context
from unspin.detect.features import CandidateColumns
from unspin.detect.passages import PASSAGE_WORDS, passage_windows
from unspin.model import Document
from unspin.normalize import tokenize
from unspin.schema import detection_from_dict, detection_to_dict
from unspin.synthetic import make_variant

from .conftest import SAMPLES
from .test_cli import unspin

HANDMADE = SAMPLES / "suspects" / "handmade" / "chef-terrace-spun.txt"
# The 15 words swapped in the hand-made copy, each in a stretch that finds it once
# ("presented" also stands, unswapped, in "has presented three television series").
CHEF_SWAPS = (
    ("television cook", "cook"),
    ("his final dinner", "final"),
    ("told personnel", "personnel"),
    ("leaving the nation", "nation"),
    ("end of a session", "session"),
    ("Castellane presented", "presented"),
    ("an livid", "livid"),
    ("the cooking called", "cooking"),
    ("decision ridiculous", "ridiculous"),
    ("a private vendetta", "private"),
    ("utilized 34", "utilized"),
    ("offered employment", "employment"),
    ("or assist finding", "assist"),
    ("Regular clients", "clients"),
    ("some carried flowers", "carried"),
)


def test_the_english_model_reads_log10_probabilities_word_first() -> None:
    model = shared_english_model()
    text = "He became a taxation exile. In ire, they left."
    tokens = tokenize(text)
    at = {token.key: i for i, token in enumerate(tokens)}
    here = word_context(text, tokens, at["taxation"])
    assert (here.before, here.previous, here.following) == ("became", "a", "exile")
    assert here.after is None  # the sentence ends: "In" starts a new one
    tax, taxation = model.window("tax", here), model.window("taxation", here)
    assert tax.left > taxation.left and tax.right > taxation.right
    assert 1 < tax.total - taxation.total < 6  # log10: ten to a million times likelier
    assert math.isclose(model.log10("the"), -1.39, abs_tol=0.05)  # P(the) is about 4%
    anger = model.window("anger", word_context(text, tokens, at["ire"]))
    assert anger.left > model.window("ire", word_context(text, tokens, at["ire"])).left
    assert not model.knows("qqzzyx") and model.knows("exile")


def test_candidates_scored_at_once_score_as_one_by_one() -> None:
    """The batch lookups that features and suggestions share change no number."""
    model = shared_english_model()
    text = "Putin presented the Hollywood star where to sign. The starring became a tax exile."
    tokens = tokenize(text)
    for index in range(len(tokens)):  # mid-sentence, before a full stop, at the very end
        here = word_context(text, tokens, index)
        words = ["showed", "star", "taxation", "qqzzyx"]
        lefts, rights = model.windows(words, here)
        assert [model.window(w, here) for w in words] == list(zip(lefts, rights, strict=True))
    detector = Detector()
    slots = detector.extractor.slots(text, tokens)
    seen: dict[int, CandidateColumns] = {}
    rows = detector.extractor.features(text, slots, tokens, candidates_seen=seen)
    assert rows.shape[0] == len(slots) and set(seen) == {s.token_index for s in slots}
    for slot in slots:
        fresh = detector.extractor.candidate_features(text, slot, tokens)
        reused = detector.extractor.candidate_features(
            text, slot, tokens, seen=seen[slot.token_index]
        )
        assert (fresh == reused).all()


@pytest.mark.parametrize(("content", "needle"), [(None, "missing"), (b"\x00" * 64, "unreadable")])
def test_a_missing_or_broken_english_model_says_how_to_reinstall(
    tmp_path: Path, content: bytes | None, needle: str
) -> None:
    path = tmp_path / "en-us.lm.bin"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnspinError, match=needle) as caught:
        EnglishModel(path)
    message = str(caught.value)
    assert "pip install --force-reinstall pocketsphinx" in message and "\n" not in message


def test_passages_cover_every_judged_word_once_in_order(sample_documents: list[Document]) -> None:
    detector = Detector()
    text = "\n\n".join(d.text for d in sample_documents[:3])
    slots = detector.extractor.slots(text)
    windows = passage_windows(text, slots)
    assert len(windows) >= 3
    assert windows[0].first == 0 and windows[-1].last == len(slots)
    for before, after in itertools.pairwise(windows):
        assert before.last == after.first and before.end <= after.start
    for window in windows:
        assert window.words >= PASSAGE_WORDS // 2
        inside = slots[window.slots]
        assert window.start <= inside[0].start and inside[-1].end <= window.end
    one_line = " ".join(text.split())  # no paragraphs at all: cut by words
    assert len(passage_windows(one_line, detector.extractor.slots(one_line))) >= 3


def test_a_spun_article_stays_spun_with_a_clean_article_appended(
    sample_documents: list[Document],
) -> None:
    detector = Detector()
    located = spun = 0
    pairs = list(zip(sample_documents[:6], sample_documents[6:12], strict=True))
    for seed, (article, sidebar) in enumerate(pairs):
        copy = make_variant("spun", [article], rate=0.3, seed=seed).text
        page = copy + "\n\n" + sidebar.text
        found = detector.detect(page)
        spun += found.verdict == "spun"
        located += any(p.start < len(copy) and p.end <= len(copy) + 2 for p in found.passages)
        assert all(page[p.start : p.end].strip() for p in found.passages)
        # Flags in the spun article stand on their own: no fewer than with no sidebar.
        alone = detector.detect(copy)
        assert len([f for f in found.flags if f.end <= len(copy)]) >= 0.8 * len(alone.flags)
    assert spun >= 5 and located >= 5


def test_flags_say_why_in_words() -> None:
    text = (
        "The starring became a taxation exile in ire over rate hikes, officials said. "
        "Both men concurred it must be an perfectly depoliticised act."
    )
    found = detect(text)
    why = {flag.text: flag.evidence for flag in found.flags}
    assert any(
        reason.startswith("LM: '") and " likelier than " in reason for reason in why["taxation"]
    )
    assert any("article does not fit" in reason for reason in why.get("perfectly", ()))
    assert all(1 <= len(reasons) <= 3 for reasons in why.values())
    again = detection_from_dict(json.loads(json.dumps(detection_to_dict(found))), text)
    assert again.flags == found.flags and again.passages == found.passages


@pytest.mark.xfail(
    strict=True,
    reason="issue 14's target, not met yet: the light model calls this copy uncertain "
    "and flags few of its plausible swaps (clients, assist, carried ...)",
)
def test_the_hand_made_copy_is_spun_with_most_swaps_flagged() -> None:
    text = HANDMADE.read_text(encoding="utf-8")
    spans = []
    for stretch, word in CHEF_SWAPS:
        assert text.count(stretch) == 1, stretch
        start = text.index(stretch) + stretch.index(word)
        spans.append((start, start + len(word)))
    found = detect(text)
    flagged = [any(f.start <= s and e <= f.end for f in found.flags) for s, e in spans]
    assert found.verdict == "spun", found.spin_score
    assert sum(flagged) >= 9, [
        w for (_, w), hit in zip(CHEF_SWAPS, flagged, strict=True) if not hit
    ]


def test_detect_json_and_terminal_show_passages_and_evidence() -> None:
    page = SAMPLES / "suspects" / "handmade" / "actor-passport-spun.txt"
    text = page.read_text(encoding="utf-8")
    as_json = unspin("detect", str(page), "--json")
    assert as_json.returncode == 0, as_json.stderr
    row = json.loads(as_json.stdout)
    assert row["passages"] and all(
        set(p) == {"start", "end", "spin_score"} and 0 <= p["start"] < p["end"] <= len(text)
        for p in row["passages"]
    )
    assert any(flag["evidence"] for flag in row["flags"])
    shown = unspin("detect", str(page))
    assert "spun passage" in shown.stdout and "likelier than" in shown.stdout
