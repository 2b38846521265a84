"""Errors that unspin reports to people as one clear line, never a traceback."""

from __future__ import annotations


class UnspinError(Exception):
    """A problem the user can act on. ``str(error)`` is the one-line message."""


class InputError(UnspinError):
    """Input that cannot be read: names the file (and line or record) and why."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class FeatureUnavailable(UnspinError):
    """A feature whose optional part is not installed; the message says how to install it.

    The web app answers it with 501 Not Implemented, the command line with one line.
    """
