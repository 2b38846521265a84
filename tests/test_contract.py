"""The contract (issue 12, items 12-13): the OpenAPI schema says what the server does, and the
small promises hold."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from unspin import Document, Index
from unspin.synthetic import make_variant
from unspin.web import WebSettings
from unspin.web.models import (
    AddedOut,
    CheckOut,
    DocumentOut,
    ErrorOut,
    SitesOut,
)

from .conftest import SAMPLES
from .test_cli import PASSPORT_COPY, unspin
from .test_web_api import AUTH, TOKEN, make_db, serve_in_thread


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, sample_documents: list[Document]
) -> Iterator[str]:
    db = make_db(tmp_path_factory.mktemp("contract") / "archive.db", sample_documents[:10])
    with serve_in_thread(WebSettings(db=db, token=TOKEN)) as url:
        yield url


# --- item 12: the OpenAPI schema matches behaviour ---------------------------------------------


def test_openapi_documents_errors_security_and_typed_bodies(base: str) -> None:
    schema = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    add = schema["paths"]["/api/documents"]["post"]
    assert add["security"] and set(add["responses"]) >= {"201", "401", "403", "413", "422"}
    for path, method, typed in (
        ("/api/check", "post", "CheckOut"),
        ("/api/documents", "post", "AddedOut"),
        ("/api/sites", "get", "SitesOut"),
        ("/api/documents/{doc_id}", "get", "DocumentOut"),
    ):
        responses = schema["paths"][path][method]["responses"]
        ok = responses.get("200") or responses["201"]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith(typed)
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("ErrorOut"), (path, status)
    assert "HTTPValidationError" not in json.dumps(schema)


def test_answers_are_what_the_schema_says(base: str, sample_documents: list[Document]) -> None:
    with httpx.Client(base_url=base, timeout=120) as http:
        copy = make_variant("spun", [sample_documents[0]], rate=0.3).text
        checked = http.post("/api/check", json={"text": copy})
        CheckOut.model_validate(checked.json())
        added = http.post(
            "/api/documents",
            json={"documents": [{"id": "contract-1", "text": "A short wire story."}]},
            headers=AUTH,
        )
        assert added.status_code == 201
        AddedOut.model_validate(added.json())
        DocumentOut.model_validate(http.get(f"/api/documents/{sample_documents[0].id}").json())
        SitesOut.model_validate(http.get("/api/sites").json())
        for status, answer in (
            (422, http.post("/api/check", json={"txt": "no text field"})),
            (401, http.post("/api/documents", json={"documents": []})),
            (404, http.get("/api/documents/no-such-document")),
            (413, http.post("/api/check", content=b"x" * 6_000_000)),
        ):
            assert answer.status_code == status
            assert ErrorOut.model_validate(answer.json()).status == status


def test_401_says_how_to_authenticate(base: str) -> None:
    answer = httpx.post(f"{base}/api/documents", json={"documents": []}, timeout=30)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_frame_ancestors_is_sent_as_a_header(base: str) -> None:
    answer = httpx.get(f"{base}/", timeout=30)
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


# --- item 13: the smaller promises -------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["   ", "a\x00b", "line\nbreak"])
def test_the_api_refuses_the_ids_the_cli_refuses(base: str, tmp_path: Path, bad_id: str) -> None:
    answer = httpx.post(
        f"{base}/api/documents",
        json={"documents": [{"id": bad_id, "text": "A short wire story about the harbour."}]},
        headers=AUTH,
        timeout=30,
    )
    assert answer.status_code == 422 and "id" in answer.json()["error"]
    batch = tmp_path / "bad.jsonl"
    batch.write_text(json.dumps({"id": bad_id, "text": "A short wire story."}) + "\n")
    done = unspin("index", batch, "--db", tmp_path / "a.db")
    assert done.returncode != 0 and "field 'id'" in done.stderr


def test_nan_published_is_refused(tmp_path: Path) -> None:
    batch = tmp_path / "nan.jsonl"
    batch.write_text('{"id": "n1", "text": "A short wire story.", "published": NaN}\n')
    done = unspin("index", batch, "--db", tmp_path / "a.db")
    assert done.returncode != 0 and "field 'published' is nan" in done.stderr


def test_an_unterminated_csv_quote_is_reported(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(
        'id,text\na,"The council met on Monday to talk about the pier.\n'
        "b,The mayor said the pier will reopen in spring.\n"
    )
    done = unspin("index", table, "--db", tmp_path / "a.db")
    assert done.returncode != 0
    assert "rows.csv:row 2: broken CSV record" in done.stderr


def test_the_check_form_refuses_cross_site_posts(base: str) -> None:
    form = {"text": PASSPORT_COPY.read_text(), "action": "check"}
    with httpx.Client(base_url=base, timeout=120) as http:
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
            answer = http.post("/check", data=form, headers=headers)
            assert answer.status_code == 403
        host = base.removeprefix("http://")
        for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": base, "Host": host}, {}):
            assert http.post("/check", data=form, headers=headers).status_code == 303


def test_html_reports_are_written_atomically(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert unspin("index", SAMPLES / "archive", "--db", db).returncode == 0
    report = tmp_path / "report.html"
    report.write_text("the previous report")
    folder = tmp_path / "report.html.d"
    folder.mkdir()
    # A report that cannot be written (its name is a folder) leaves no half file behind.
    failed = unspin("check", PASSPORT_COPY, "--db", db, "--html", folder)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert list(tmp_path.glob(".*partial")) == []
    old_file = report.stat().st_ino
    done = unspin("check", PASSPORT_COPY, "--db", db, "--html", report)
    assert done.returncode == 0 and report.read_text().startswith("<!DOCTYPE html>")
    # Written beside it and renamed over it: a reader never sees half a report.
    assert report.stat().st_ino != old_file


def test_reindexing_a_finished_index_fingerprints_nothing(tmp_path: Path) -> None:
    from unspin import Index

    with Index(tmp_path / "a.db") as index:
        index.add([Document(f"d{n}", f"Story number {n} about the harbour.") for n in range(50)])
        huge = "The harbour council met again. " * 100_000  # 3 MB: seconds to fingerprint
        start = time.perf_counter()
        stats = index.add([Document(f"d{n}", huge) for n in range(50)], workers=1)
        assert time.perf_counter() - start < 2.0
    assert stats.added == 0 and stats.already_present == 50


def test_search_takes_wildcards_as_text(sample_index: Index) -> None:
    assert sample_index.search("harbour")  # words are found...
    for wildcard in ("%", "_", "*", "%harbour%"):  # ...and wildcards match nothing by themselves
        assert sample_index.search(wildcard) == [] or wildcard == "%harbour%"
    assert {d.id for d in sample_index.search("%harbour%")} <= {
        d.id for d in sample_index.search("harbour")
    }
