"""The HTTP API: the --json schema, tokens, limits, clear JSON errors, checks during indexing."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from unspin import Document, Index
from unspin.schema import check_result_to_dict
from unspin.synthetic import make_variant
from unspin.web import WebSettings
from unspin.web.server import make_server

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_db(path: Path, documents: list[Document]) -> Path:
    with Index(path) as index:
        index.add(documents, workers=1)
    return path


@contextmanager
def serve_in_thread(settings: WebSettings) -> Iterator[str]:
    """A real uvicorn server on a free localhost port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server(settings, host="127.0.0.1", port=port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]) -> Path:
    return make_db(tmp_path_factory.mktemp("web") / "archive.db", sample_documents)


@contextmanager
def http_client(settings: WebSettings) -> Iterator[httpx.Client]:
    """An HTTP client talking to a live server with these settings."""
    with serve_in_thread(settings) as base, httpx.Client(base_url=base, timeout=120) as http:
        yield http


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[httpx.Client]:
    with http_client(WebSettings(db=db, token=TOKEN)) as http:
        yield http


@pytest.fixture(scope="module")
def passport(sample_documents: list[Document]) -> Document:
    return next(d for d in sample_documents if d.id == "coastal-wire/actor-russian-passport.txt")


def test_check_returns_the_json_report_schema(
    client: httpx.Client, db: Path, passport: Document, sample_index: Index
) -> None:
    copy = make_variant("spun", [passport], rate=0.3, seed=11).text
    response = client.post("/api/check", json={"text": copy, "id": "copy-1"})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = check_result_to_dict(sample_index.check(Document("copy-1", copy)))
    # Another index file of the same documents: everything agrees but its identity.
    with Index(db, create=False) as served:
        served_id = served.id
    assert body["unspin"]["index"]["id"] == served_id != expected["unspin"]["index"]["id"]
    expected["unspin"]["index"]["id"] = served_id
    assert body == expected
    assert body["matches"][0]["source_id"] == passport.id
    assert body["matches"][0]["retrieval"]["rank"] == 1
    report = client.get(response.headers["X-Unspin-Check"])
    assert report.status_code == 200 and passport.id in report.text
    assert served_id in report.text and "retrieved at rank 1 by" in report.text


def test_checked_copies_show_on_document_and_sites(
    client: httpx.Client, passport: Document
) -> None:
    copy = make_variant("spun", [passport], rate=0.4, seed=12).text
    suspect = {
        "text": copy,
        "id": "farm-story",
        "url": "https://content-farm.example/story-1",
        "published": "2026-03-04T10:00:00",
    }
    assert client.post("/api/check", json=suspect).status_code == 200
    document = client.get(f"/api/documents/{passport.id}").json()
    assert document["id"] == passport.id and document["text"] == passport.text
    copies = [c for c in document["copies"] if c["suspect_id"] == "farm-story"]
    assert copies and copies[0]["site"] == "content-farm.example"
    assert copies[0]["url"] == suspect["url"] and copies[0]["verdict"] == "spun"
    sites = client.get("/api/sites").json()
    farm = next(s for s in sites["sites"] if s["site"] == "content-farm.example")
    assert farm["copies"] >= 1
    all_copies = sum(s["copies"] for s in sites["sites"])
    assert sum(b["copies"] for b in sites["spin_rate_histogram"]) == all_copies
    assert any(day["date"] == "2026-03-04" for day in sites["timeline"])
    page = client.get(f"/documents/{passport.id}")
    assert page.status_code == 200 and "content-farm.example/story-1" in page.text


_OLD_WEB_CHECKS = """CREATE TABLE web_checks (
    id INTEGER PRIMARY KEY, checked_at TEXT NOT NULL, suspect_id TEXT NOT NULL,
    url TEXT, title TEXT, site TEXT, published TEXT, verdict TEXT NOT NULL,
    text TEXT NOT NULL, matches TEXT NOT NULL)"""


def test_checks_stored_by_older_versions_still_show(
    tmp_path: Path, sample_documents: list[Document], passport: Document
) -> None:
    db = make_db(tmp_path / "old.db", sample_documents)
    copy = make_variant("spun", [passport], rate=0.3, seed=13).text
    with Index(db, create=False) as index:
        result = index.check(copy)
    # The compact matches of the first web app, which had no source_coverage yet.
    old_matches = [
        {
            "source_id": m.source_id,
            "verdict": m.verdict,
            "score": m.score,
            "coverage": m.coverage,
            "spin_rate": m.spin_rate,
            "edits": [
                [e.type, e.copy_start, e.copy_end, e.source_start, e.source_end, 1, 1]
                for e in m.edits
            ],
        }
        for m in result.matches
    ]
    with sqlite3.connect(db) as connection:
        connection.execute(_OLD_WEB_CHECKS)
        connection.execute(
            "INSERT INTO web_checks VALUES (7, '2025-01-01T00:00:00+00:00', 'old-copy', NULL,"
            " NULL, NULL, NULL, ?, ?, ?)",
            (result.verdict, copy, json.dumps(old_matches)),
        )
    connection.close()
    with http_client(WebSettings(db=db, token=TOKEN)) as http:
        old = http.get("/checks/7")
        assert old.status_code == 200, old.text
        assert passport.id in old.text and "provenance unknown" in old.text
        assert 'class="e-synonym"' in old.text
        new = http.post("/api/check", json={"text": copy, "id": "new-copy"})
        assert new.status_code == 200
        assert http.get(new.headers["X-Unspin-Check"]).status_code == 200


def test_writes_need_the_token(client: httpx.Client, db: Path) -> None:
    new = {"documents": [{"id": "auth-test", "text": "A short wire story about a harbour."}]}
    assert client.post("/api/documents", json=new).status_code == 401
    wrong = client.post("/api/documents", json=new, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "token" in wrong.json()["error"]
    added = client.post("/api/documents", json=new, headers=AUTH)
    assert added.status_code == 201 and added.json()["added"] == 1
    again = client.post("/api/documents", json=new, headers={"X-Unspin-Token": TOKEN})
    assert again.json() == {"added": 0, "already_present": 1, "in_index": added.json()["in_index"]}
    with http_client(WebSettings(db=db)) as tokenless:
        refused = tokenless.post("/api/documents", json=new, headers=AUTH)
        assert refused.status_code == 403 and "--token" in refused.json()["error"]


def test_lock_reads(db: Path) -> None:
    with http_client(WebSettings(db=db, token=TOKEN, lock_reads=True)) as locked:
        assert locked.get("/api/sites").status_code == 401
        assert locked.get("/").status_code == 401
        assert locked.get("/api/sites", headers=AUTH).status_code == 200


def test_limits_and_errors_are_clear_json(db: Path) -> None:
    settings = WebSettings(
        db=db,
        token=TOKEN,
        max_body_bytes=20_000,
        max_text_chars=5_000,
        max_documents_per_request=2,
    )
    with http_client(settings) as small:
        cases = [
            (small.post("/api/check", json={"text": "x " * 20_000}), 413, "body too large"),
            (small.post("/api/check", json={"text": "word " * 1_500}), 413, "limit 5,000"),
            (small.post("/api/check", json={"text": ""}), 422, "text"),
            (small.post("/api/check", json={"txt": "a"}), 422, "text"),
            (
                small.post(
                    "/api/check", content=b"{not json", headers={"content-type": "application/json"}
                ),
                422,
                "",
            ),
            (
                small.post(
                    "/api/check",
                    content=iter([b'{"text": "', b"x" * 30_000, b'"}']),
                    headers={"content-type": "application/json"},
                ),
                413,
                "body too large",
            ),
            (small.get("/api/documents/no/such/id"), 404, "no/such/id"),
            (small.get("/api/nothing-here"), 404, ""),
            (
                small.post(
                    "/api/documents",
                    headers=AUTH,
                    json={"documents": [{"id": str(i), "text": "t"} for i in range(3)]},
                ),
                413,
                "too many",
            ),
        ]
        for response, status, needle in cases:
            assert response.status_code == status, response.text
            body = response.json()
            assert body["status"] == status and needle in body["error"]
        page = small.get("/no-such-page")
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]


def test_detect_answers_as_the_cli_does_or_says_clearly_it_cannot(
    client: httpx.Client, tmp_path: Path
) -> None:
    text = "The starring became a taxation exile in ire over rate hikes."
    response = client.post("/api/detect", json={"text": text, "id": "suspect.txt"})
    if response.status_code == 501:
        assert "detection" in response.json()["error"]
        return
    assert response.status_code == 200, response.text
    (tmp_path / "suspect.txt").write_text(text, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "detect", str(tmp_path / "suspect.txt"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert response.json() == json.loads(done.stdout)  # one detection schema for both
    assert response.json()["query"]["id"] == "suspect.txt"


@pytest.mark.slow
def test_checks_while_indexing_lose_nothing(
    tmp_path: Path, sample_documents: list[Document], passport: Document
) -> None:
    originals = [*(d for d in sample_documents[:20] if d.id != passport.id), passport]
    db = make_db(tmp_path / "busy.db", originals)
    copies = [make_variant("spun", [passport], rate=0.3, seed=s).text for s in range(4)]
    writers, batches, per_batch = 3, 4, 5
    errors: list[str] = []
    added: list[int] = []

    def write(worker: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            for batch in range(batches):
                documents = [
                    {
                        "id": f"new/{worker}/{batch}/{n}",
                        "text": sample_documents[20 + (worker * 7 + batch + n) % 28].text
                        + f"\n\nUpdate {worker}-{batch}-{n}.",
                    }
                    for n in range(per_batch)
                ]
                response = http.post("/api/documents", json={"documents": documents}, headers=AUTH)
                if response.status_code != 201:
                    errors.append(response.text)
                else:
                    added.append(response.json()["added"])

    def check(worker: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            for copy in copies:
                response = http.post("/api/check", json={"text": copy, "id": f"c{worker}"})
                if response.status_code != 200:
                    errors.append(response.text)
                elif response.json()["matches"][0]["source_id"] != passport.id:
                    errors.append(f"wrong source: {response.json()['matches'][0]['source_id']}")

    with serve_in_thread(WebSettings(db=db, token=TOKEN, heavy_jobs=2)) as base:
        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        threads += [threading.Thread(target=check, args=(w,)) for w in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert errors == []
        expected = writers * batches * per_batch
        assert sum(added) == expected
        with httpx.Client(base_url=base) as http:
            for worker in range(writers):
                for batch in range(batches):
                    for n in range(per_batch):
                        found = http.get(f"/api/documents/new/{worker}/{batch}/{n}")
                        assert found.status_code == 200
    with Index(db) as index:
        assert len(index) == len(originals) + expected


def test_serve_command(db: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "serve", "--db", str(db), "--lock-reads"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "UNSPIN_TOKEN": ""},
    )
    assert refused.returncode != 0 and "--lock-reads needs a token" in refused.stderr
    assert "Traceback" not in refused.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "unspin.cli", "serve", "--db", str(db), "--port", str(port)],
        env={**os.environ, "UNSPIN_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/sites", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert response.status_code == 200
        new = {"documents": [{"id": "via-serve", "text": "A wire story."}]}
        added = httpx.post(f"http://127.0.0.1:{port}/api/documents", json=new, headers=AUTH)
        assert added.status_code == 201  # the token came from UNSPIN_TOKEN
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_search_page_finds_words_through_the_full_text_index(
    client: httpx.Client, passport: Document
) -> None:
    # Case and accents do not matter, and a longer word matches the beginning of words.
    for query in ("gerard depardieu", "GÉRARD", "passpor sochi", passport.id):
        page = client.get("/search", params={"q": query})
        assert page.status_code == 200
        assert f'href="/documents/{passport.id}"' in page.text, query
    nothing = client.get("/search", params={"q": "zzyzx-no-such-word"})
    assert "Nothing in the index matches" in nothing.text


def test_sites_page_lists_the_archive_sites(client: httpx.Client) -> None:
    story = {"id": "site-test", "text": "A wire story about a harbour.", "site": "wire.example"}
    added = client.post("/api/documents", json={"documents": [story]}, headers=AUTH)
    assert added.status_code == 201
    page = client.get("/sites")
    assert "Sites in the archive" in page.text and "<td>wire.example</td><td>1</td>" in page.text
