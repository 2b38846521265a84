"""Availability (issue 12, items 1-4): long texts, stored checks and slow clients cannot take
the server or the machine down."""

from __future__ import annotations

import json
import random
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from unspin import Document, Index
from unspin.errors import UnspinError
from unspin.html import render_report
from unspin.settings import CheckSettings
from unspin.synthetic import make_variant
from unspin.web import WebSettings
from unspin.web.store import CheckStore, StoreLimits

from .test_cli import unspin
from .test_web_api import make_db, serve_in_thread

_SYLLABLES = "ka lo mi ne ru sa ve to da ri po la zu be".split()


def varied_text(sample_documents: list[Document], chars: int, seed: int = 0) -> str:
    """News-style text of about ``chars`` characters whose sentences are all different: the
    sample archive's sentences with fresh numbers and a made-up name put in each."""
    rng = random.Random(seed)
    sentences = [
        s
        for d in sample_documents
        for s in re.split(r"(?<=[.!?])\s+", d.text.replace("\n", " "))
        if len(s.split()) > 5
    ]
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            words = re.sub(r"\d+", lambda _: str(rng.randint(2, 99_999)), rng.choice(sentences))
            split = words.split()
            name = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            split.insert(rng.randint(1, len(split) - 1), name)
            paragraph.append(" ".join(split))
        paragraphs.append(" ".join(paragraph))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


# --- item 1: the report renders in linear time ------------------------------------------------


@pytest.mark.slow
def test_a_24k_word_report_renders_in_half_a_second(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    text = varied_text(sample_documents, 150_000, seed=3)
    assert len(text.split()) >= 24_000
    with Index(tmp_path / "long.db") as index:
        index.add([Document("long", text)], workers=1)
        result = index.check(make_variant("spun", [Document("long", text)], rate=0.3).text)
    assert result.verdict == "spun"
    start = time.perf_counter()
    html = render_report([result])
    assert time.perf_counter() - start <= 0.5
    assert html.count('<tr style="--source:') >= 300


# --- item 2: alignment memory is bounded; a clear text limit ---------------------------------


_ALIGN_AND_MEASURE = """
import json, resource, sys
from unspin.align import Text, align
from unspin.settings import CheckSettings

class Unrelated:
    def relation(self, copy_word, source_word):
        return None

source = Text.of(sys.stdin.read())
copy = Text.of(source.text)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
found = align(copy, source, Unrelated(), settings=CheckSettings())
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps([len(source.sentences), len(found.pairs), grown]))
"""


def test_aligning_long_texts_takes_memory_in_their_length_not_its_square(
    sample_documents: list[Document],
) -> None:
    # 5,000 distinct sentences each: every copy sentence against every source
    # sentence at once was a 5,000 x 5,000 matrix (over 100 MB) and a sort of each row.
    done = subprocess.run(
        [sys.executable, "-c", _ALIGN_AND_MEASURE],
        input=varied_text(sample_documents, 700_000, seed=5),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    sentences, pairs, grown_kb = json.loads(done.stdout)
    assert sentences >= 5000
    assert pairs == sentences  # every sentence found its pair
    assert grown_kb < 80_000, f"alignment took {grown_kb / 1000:.0f} MB more"


def test_a_text_over_the_limit_is_refused_in_one_line(tmp_path: Path, sample_index: Index) -> None:
    strict = Index(sample_index.path, read_only=True, settings=CheckSettings(max_text_chars=100))
    with strict, pytest.raises(UnspinError, match=r"too long to check \(1,000 characters"):
        strict.check(Document("long-one", "word " * 200))
    suspect = tmp_path / "long.txt"
    suspect.write_text("Words of a long suspect. " * 50)
    done = unspin("check", suspect, "--db", sample_index.path)
    assert done.returncode == 0, done.stderr  # the CLI's limit is 20 MB


@pytest.mark.slow
def test_checking_10_mb_against_itself_stays_under_1_5_gb(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    big = tmp_path / "big.txt"
    big.write_text(varied_text(sample_documents, 10_000_000, seed=7))
    db = tmp_path / "big.db"
    assert unspin("index", big, "--db", db).returncode == 0
    # The check runs under a small parent of its own, whose children's peak is the check's.
    measure = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode); "
        "print(done.stdout.decode()[:2000])"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            measure,
            sys.executable,
            "-m",
            "unspin.cli",
            "check",
            str(big),
            "--db",
            str(db),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    first, _, output = done.stdout.partition("\n")
    peak_kb, status = map(int, first.split())
    assert status == 0, done.stderr[-2000:]
    assert '"verdict": "verbatim"' in output
    assert peak_kb < 1_500_000, f"peak {peak_kb / 1e6:.2f} GB"


# --- item 3: what anonymous users can store is bounded ---------------------------------------


def test_stored_checks_are_bounded_per_client_in_all_and_in_time(
    tmp_path: Path, sample_documents: list[Document], sample_index: Index
) -> None:
    db = make_db(tmp_path / "web.db", sample_documents[:3])
    results = [sample_index.check(d.text[:400]) for d in sample_documents[:6]]
    store = CheckStore(db, StoreLimits(per_client=2, total=3))
    ids = [store.record(r, client="10.0.0.1") for r in results[:4]]
    assert [store.get(i) is not None for i in ids] == [False, False, True, True]
    more = [store.record(r, client="10.0.0.2") for r in results[4:6]]
    assert len(store) == 3 and store.get(ids[2]) is None and store.get(more[1]) is not None
    store.close()
    with sqlite3.connect(db) as raw:
        (size,) = raw.execute("SELECT size FROM web_checks WHERE id = ?", (more[1],)).fetchone()
    assert size > len(results[5].query.text)  # the text and the result object
    sized = CheckStore(db, StoreLimits(total_mb=size * 2.5 / 1e6))
    kept = [sized.record(results[5], client=f"10.0.1.{n}") for n in range(4)]
    assert len(sized) == 2 and sized.get(kept[1]) is None and sized.get(kept[3]) is not None
    sized.close()
    expired = CheckStore(db, StoreLimits(days=0))
    expired.record(results[1])  # made "now": every older check is over a limit of 0 days
    time.sleep(1.1)
    expired.record(results[1])
    assert len(expired) == 1
    expired.close()


def test_serve_help_says_what_is_kept() -> None:
    done = unspin("serve", "--help")
    assert done.returncode == 0
    for option in ("--keep-days", "--keep-per-client", "--keep-checks", "--keep-mb"):
        assert option in done.stdout
    assert "--header-timeout" in done.stdout and "--body-timeout" in done.stdout


# --- item 4: slow clients are timed out -------------------------------------------------------


def test_slow_clients_are_disconnected(tmp_path: Path, sample_documents: list[Document]) -> None:
    db = make_db(tmp_path / "web.db", sample_documents[:2])
    settings = WebSettings(db=db, header_timeout_seconds=1.0, body_timeout_seconds=1.0)
    with serve_in_thread(settings) as base:
        port = int(base.rsplit(":", 1)[1])
        slow = []
        for partial in (
            b"GET / HTTP/1.1\r\nHost: x\r\n",
            b"POST /api/check HTTP/1.1\r\n"
            b"Host: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            b'\r\n{"te',
        ):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            connection.sendall(partial)
            slow.append(connection)
        started = time.monotonic()
        for connection in slow:
            closed = b""
            for _ in range(20):  # bounded: a byte every 0.2 s keeps the request "in progress"
                try:
                    connection.sendall(b"x")
                except OSError:
                    break
                try:
                    connection.settimeout(0.2)
                    if connection.recv(1024) == b"":
                        closed = b"closed"
                        break
                except TimeoutError:
                    continue
                except OSError:
                    closed = b"closed"
                    break
            assert closed == b"closed", "a slow client was still connected after 4 s"
            connection.close()
        assert time.monotonic() - started < 6
        assert httpx.get(f"{base}/", timeout=10).status_code == 200  # others are served


# --- item 1 end to end: a 990k-character check and its report page ---------------------------


@pytest.mark.slow
def test_a_990k_character_check_and_its_report_page_leave_the_server_answering(
    tmp_path: Path, sample_documents: list[Document]
) -> None:
    db = make_db(tmp_path / "web.db", sample_documents)
    spun = [
        make_variant("spun", [d], rate=0.3, seed=n).text for n, d in enumerate(sample_documents)
    ]
    text = "\n\n".join(spun[n % len(spun)] for n in range(2000))[:990_000]
    with serve_in_thread(WebSettings(db=db)) as base, httpx.Client(base_url=base) as http:
        checked = http.post("/api/check", json={"text": text}, timeout=600)
        assert checked.status_code == 200, checked.text[:500]
        page_path = checked.headers["X-Unspin-Check"]
        answered: list[float] = []

        def load_page() -> None:
            start = time.monotonic()
            page = httpx.get(base + page_path, timeout=60)
            assert page.status_code == 200
            answered.append(time.monotonic() - start)

        loading = threading.Thread(target=load_page)
        loading.start()
        others = []
        while loading.is_alive() and len(others) < 50:
            start = time.monotonic()
            assert http.get("/", timeout=10).status_code == 200
            others.append(time.monotonic() - start)
            time.sleep(0.1)
        loading.join(timeout=120)
    assert answered and answered[0] <= 5.0, f"the report page took {answered}"
    assert others and max(others) <= 1.0, f"other requests waited up to {max(others):.1f} s"
