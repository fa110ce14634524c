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


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"
