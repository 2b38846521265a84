"""unspin: trace copied and synonym-spun news back to its sources.

The pipeline, one module per stage::

    io -> normalize -> fingerprint -> index -> retrieve -> align -> verdict -> report

Start with :class:`Index`: add original articles, then :meth:`Index.check`
suspect texts.
"""

from unspin.api import Index
from unspin.errors import InputError, UnspinError
from unspin.model import CheckResult, Document, Edit, Match, Token
from unspin.settings import CheckSettings

__all__ = [
    "CheckResult",
    "CheckSettings",
    "Document",
    "Edit",
    "Index",
    "InputError",
    "Match",
    "Token",
    "UnspinError",
]
__version__ = "0.1.0"
