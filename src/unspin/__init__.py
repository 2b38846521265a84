"""unspin: trace copied and synonym-spun news back to its sources.

The pipeline, one module per stage::

    io -> normalize -> fingerprint -> index -> retrieve -> align -> verdict -> report

Start with :class:`Index`: add original articles, then :meth:`Index.check`
suspect texts.
"""

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from unspin.errors import FeatureUnavailable, InputError, UnspinError
from unspin.model import CheckResult, Document, Edit, Match, Token
from unspin.settings import CheckSettings

if TYPE_CHECKING:
    from unspin.api import Index

    __version__: str

__all__ = [
    "CheckResult",
    "CheckSettings",
    "Document",
    "Edit",
    "FeatureUnavailable",
    "Index",
    "InputError",
    "Match",
    "Token",
    "UnspinError",
]


def __getattr__(name: str) -> object:
    # Looked up on first use, so that a command's --help or a ring's import pays for neither:
    # Index brings the whole pipeline (numpy, the lexicon), the version an import of metadata.
    if name == "Index":
        from unspin.api import Index

        return Index
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'unspin' has no attribute {name!r}")


@functools.cache
def _version() -> str:
    """The installed distribution's version, else the version in the source tree's pyproject."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unspin")
    except PackageNotFoundError:  # run from a source tree that was never installed
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"
