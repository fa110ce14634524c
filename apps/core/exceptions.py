"""Domain errors raised by services and mapped to form errors / API 400s by the callers."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation. ``field`` names the input at fault, if any."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


def too_long_message(label: str, *, limit: int, entered: int) -> str:
    """The one wording of a text over its limit: the limit and how much was entered (inputs
    carry no browser ``maxlength``, so a pasted text reaches the server whole)."""
    return f"The {label} can be at most {limit:,} characters; you entered {entered:,}."


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"
