"""The web server under slow work and bugs: it keeps answering, and errors say what they are."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from unspin import Document, FeatureUnavailable
from unspin.web import WebSettings, create_app

from .test_web_api import make_db, serve_in_thread


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]) -> Path:
    return make_db(tmp_path_factory.mktemp("web-server") / "archive.db", sample_documents[:5])


def long_page(sample_documents: list[Document], paragraphs: int) -> bytes:
    """An HTML article of ``paragraphs`` paragraphs: its extraction takes seconds."""
    texts = [d.text.replace("\n", " ") for d in sample_documents]
    body = "".join(f"<p>{texts[n % len(texts)]}</p>\n" for n in range(paragraphs))
    head = "<html><head><title>A long read</title></head>"
    return f"{head}<body><article>{body}</article></body></html>".encode()


def test_slow_work_leaves_the_server_answering(db: Path, sample_documents: list[Document]) -> None:
    """While an uploaded page is being read, other requests are answered at once."""
    page = long_page(sample_documents, 2_000)
    settings = WebSettings(db=db, max_body_bytes=len(page) + 10_000, max_text_chars=1_000)
    upload_answered: list[float] = []

    def upload(base: str) -> None:
        with httpx.Client(base_url=base, timeout=300) as http:
            files = {"file": ("long-read.html", page, "text/html")}
            # Too long to check: the answer comes as soon as the page has been read.
            response = http.post("/check", files=files, data={"action": "check"})
            assert response.status_code == 413
            upload_answered.append(time.monotonic())

    with serve_in_thread(settings) as base, httpx.Client(base_url=base, timeout=300) as http:
        started = time.monotonic()
        uploading = threading.Thread(target=upload, args=(base,))
        uploading.start()
        time.sleep(0.5)  # the upload is being read by now
        home = http.get("/")
        home_answered = time.monotonic()
        uploading.join(timeout=300)
    assert home.status_code == 200
    assert upload_answered, "the upload got no answer"
    reading = upload_answered[0] - started
    assert reading > 1.5, f"reading the page took only {reading:.1f} s: make it longer"
    # Not held until the page was read. (Not "within a fraction of the reading": the
    # reading thread holds the GIL between the home request's reads and writes, and on a
    # loaded machine each hand-over waits a switch interval.)
    assert home_answered < upload_answered[0] - 0.2


def test_only_a_missing_feature_answers_501_and_a_bug_answers_500(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(WebSettings(db=db))

    @app.get("/api/probe/missing")
    def missing() -> None:
        raise FeatureUnavailable("the probe needs an extra: pip install 'unspin[probe]'")

    @app.get("/api/probe/bug")
    def bug() -> float:
        stored_match = {"coverage": 0.9}
        return stored_match["source_coverage"]  # a KeyError, as a stored check missing it gave

    @app.get("/probe/bug")
    def page_bug() -> None:
        raise IndexError("list index out of range")

    with caplog.at_level(logging.ERROR, logger="unspin.web"), TestClient(app) as client:
        unavailable = client.get("/api/probe/missing")
        api_bug = client.get("/api/probe/bug")
        page_bug_response = client.get("/probe/bug")
    assert unavailable.status_code == 501
    assert unavailable.json() == {
        "error": "the probe needs an extra: pip install 'unspin[probe]'",
        "status": 501,
    }
    assert api_bug.status_code == 500
    assert api_bug.json()["status"] == 500 and "not installed" not in api_bug.text
    assert page_bug_response.status_code == 500
    assert page_bug_response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page_bug_response.headers["content-security-policy"]
    logged = [r for r in caplog.records if r.name == "unspin.web.app"]
    assert [r.getMessage() for r in logged] == [
        "unexpected error answering GET /api/probe/bug",
        "unexpected error answering GET /probe/bug",
    ]
    assert "KeyError: 'source_coverage'" in caplog.text
