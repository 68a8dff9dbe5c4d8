"""One error family for the whole kiosk.

Every error carries a short machine-readable ``code`` and a message a person can act on. Each subsystem has its
own subclass; unexpected exceptions are wrapped at the edge with ``raise ... from err``.
"""

from __future__ import annotations


class DocentError(Exception):
    """Base of every error Docent raises on purpose."""

    code = "docent-error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ContentError(DocentError):
    """A content pack could not be used (missing, unreadable or invalid)."""

    code = "content-error"


class IndexError_(ContentError):
    """The local search index could not be built or opened."""

    code = "index-error"


class EditorError(DocentError):
    """The curator's editor cannot do what was asked (a folder that is not a pack, a file that cannot be read)."""

    code = "editor-error"


__all__ = ["ContentError", "DocentError", "EditorError", "IndexError_"]
