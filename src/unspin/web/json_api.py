"""The JSON API under ``/api``; its OpenAPI schema is at ``/api/openapi.json``.

Check and detection results are the objects of :mod:`unspin.schema`, the same
as ``unspin check --json`` and ``unspin detect --json`` print. Errors are ``{"error", "status"}``
objects with a 4xx status (501 for a feature not installed, 503 when busy).
Adding documents needs the server's token as ``Authorization: Bearer TOKEN``.

Handlers that read the index or the stored checks are plain functions, which
FastAPI runs in its threadpool: SQLite calls block, and on the event loop they
would hold up every other request. Only handlers that await are coroutines.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, field_validator

from unspin.errors import InputError
from unspin.io.records import check_id
from unspin.model import Document
from unspin.schema import check_result_to_dict, detection_to_dict
from unspin.web.models import (
    AddedOut,
    CheckOut,
    DetectionOut,
    DocumentOut,
    ErrorOut,
    SitesOut,
)
from unspin.web.service import WebService, WebSettings
from unspin.web.store import KnownCopy

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Input unspin cannot use"},
    401: {"model": ErrorOut, "description": "A token is needed (--lock-reads), or it is wrong"},
    413: {"model": ErrorOut, "description": "Request body or text over the server's limit"},
    422: {"model": ErrorOut, "description": "A field is missing or of the wrong type"},
    503: {"model": ErrorOut, "description": "Busy: every slot for checks stayed taken"},
}
router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)
_bearer = HTTPBearer(auto_error=False, description="The server's token (unspin serve --token)")


def _valid_id(doc_id: str) -> str:
    """The ids the command line takes, and no others."""
    try:
        check_id(doc_id, "id")
    except InputError as error:
        raise ValueError(error.reason) from None
    return doc_id


class DocumentIn(BaseModel):
    """An article, as in a ``.jsonl`` line: ``id`` and ``text``, the rest optional."""

    id: str = Field(min_length=1, max_length=1000)
    text: str = Field(min_length=1)
    url: str | None = Field(default=None, max_length=4000)
    title: str | None = Field(default=None, max_length=4000)
    site: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, max_length=100)

    _id = field_validator("id")(_valid_id)

    def document(self) -> Document:
        return Document(self.id, self.text, self.url, self.title, self.site, self.published)


class SuspectIn(BaseModel):
    """A suspect text to check; ``id`` and the metadata are only shown back."""

    text: str = Field(min_length=1)
    id: str = Field(default="-", min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=4000)
    title: str | None = Field(default=None, max_length=4000)
    site: str | None = Field(default=None, max_length=1000)
    published: str | None = Field(default=None, max_length=100)
    record: bool = Field(default=True, description="Remember the check for the site pages.")

    _id = field_validator("id")(_valid_id)

    def document(self) -> Document:
        return Document(self.id, self.text, self.url, self.title, self.site, self.published)


class DocumentsIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1)


def service_of(request: Request) -> WebService:
    service: WebService = request.app.state.service
    return service


Service = Annotated[WebService, Depends(service_of)]


def require_token(
    request: Request,
    service: Service,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need the server's token; a server started without one takes no writes.

    The ``_bearer`` dependency only declares the scheme in the OpenAPI schema; the token
    is compared here, in constant time.
    """
    from unspin.web.app import WWW_AUTHENTICATE, has_token

    if not service.settings.token:
        raise HTTPException(403, "writes are disabled: start the server with --token")
    if not has_token(request, service.settings):
        raise HTTPException(
            401,
            "missing or wrong token (send 'Authorization: Bearer TOKEN')",
            headers=WWW_AUTHENTICATE,
        )


def client_of(request: Request) -> str | None:
    """Who is asking, for the per-client limit on stored checks: the client's address."""
    return request.client.host if request.client else None


def check_length(text: str, settings: WebSettings, what: str = "text") -> None:
    if len(text) > settings.max_text_chars:
        raise HTTPException(
            413, f"{what} too long ({len(text):,} characters; limit {settings.max_text_chars:,})"
        )
    if not text.strip():
        raise HTTPException(422, f"{what} is empty")


@router.post("/check", response_model=None, responses={200: {"model": CheckOut}})
async def check(
    suspect: SuspectIn, service: Service, request: Request, response: Response
) -> dict[str, Any]:
    """Find the sources of a suspect text: the ``unspin check --json`` object.

    When recorded, the header ``X-Unspin-Check`` gives the report page ``/checks/{id}``.
    """
    check_length(suspect.text, service.settings)
    check_id, result = await service.check(
        suspect.document(), record=suspect.record, client=client_of(request)
    )
    if check_id is not None:
        response.headers["X-Unspin-Check"] = f"/checks/{check_id}"
    return check_result_to_dict(result)


@router.post(
    "/detect",
    response_model=None,
    responses={
        200: {"model": DetectionOut},
        501: {"model": ErrorOut, "description": "Sourceless detection not installed"},
    },
)
async def detect(suspect: SuspectIn, service: Service) -> dict[str, Any]:
    """Judge a text without a source: spin score, verdict, flagged words with suggestions."""
    check_length(suspect.text, service.settings)
    found = await service.detect(suspect.document())
    return detection_to_dict(found)


@router.post(
    "/documents",
    dependencies=[Depends(require_token)],
    status_code=201,
    response_model=None,
    responses={
        201: {"model": AddedOut},
        403: {"model": ErrorOut, "description": "Writes are disabled: no token was set"},
    },
)
async def add_documents(body: DocumentsIn, service: Service) -> dict[str, int]:
    """Add original articles to the index (needs the token); ids already present are skipped."""
    if len(body.documents) > service.settings.max_documents_per_request:
        raise HTTPException(
            413,
            f"too many documents ({len(body.documents)}; "
            f"limit {service.settings.max_documents_per_request} per request)",
        )
    for number, document in enumerate(body.documents):
        check_length(document.text, service.settings, f"documents.{number}.text")
    stats = await service.add([d.document() for d in body.documents])
    return {
        "added": stats.added,
        "already_present": stats.already_present,
        "in_index": len(service.index),
    }


@router.get(
    "/documents/{doc_id:path}",
    response_model=None,
    responses={
        200: {"model": DocumentOut},
        404: {"model": ErrorOut, "description": "No document with this id"},
    },
)
def get_document(doc_id: str, service: Service) -> dict[str, Any]:
    """An archived document and the checked copies of it known to this server."""
    document = service.index.get(doc_id)
    if document is None:
        raise HTTPException(404, f"no document with id {doc_id!r} in the index")
    return {
        "id": document.id,
        "url": document.url,
        "title": document.title,
        "site": document.site,
        "published": document.published,
        "text": document.text,
        "copies": [copy_to_json(c) for c in service.store.copies_of(doc_id)],
    }


@router.get("/sites", response_model=None, responses={200: {"model": SitesOut}})
def sites(service: Service) -> dict[str, Any]:
    """Which sites copy which sources' sites, the spin-rate distribution, and a timeline."""
    return service.store.sites()


def copy_to_json(copy: KnownCopy) -> dict[str, Any]:
    return {
        "check": f"/checks/{copy.check_id}",
        "checked_at": copy.checked_at,
        "suspect_id": copy.suspect_id,
        "title": copy.title,
        "url": copy.url,
        "site": copy.site,
        "published": copy.published,
        "verdict": copy.verdict,
        "coverage": copy.coverage,
        "spin_rate": copy.spin_rate,
    }
