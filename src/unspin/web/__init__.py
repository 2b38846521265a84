"""The unspin web app: paste a suspect and read its report, search the archive, see who copies whom.

Also a JSON API under ``/api`` (schema at ``/api/openapi.json``). Start it with
``unspin serve --db archive.db``; build it in Python with :func:`create_app`.
Needs the ``web`` extra (FastAPI, uvicorn, python-multipart).
"""

from unspin.web.app import create_app
from unspin.web.service import WebSettings

__all__ = ["WebSettings", "create_app"]
