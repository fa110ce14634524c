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


class DomainErrors(DomainError):
    """Every refusal of one save at once (``errors``), each naming its field; reads as the
    first one where a single error is expected."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.message, field=first.field, code=first.code)
        self.errors = list(errors)


class ErrorCollector:
    """Runs checks and keeps every ``DomainError`` they raise, so a save reports them all::

    found = ErrorCollector()
    price = found.run(rule, value, field="price")
    found.raise_any()
    """

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.errors.extend(getattr(error, "errors", None) or [error])
            return None

    def add(self, message: str, *, field: str) -> None:
        self.errors.append(DomainError(message, field=field))

    def failed(self, *fields: str) -> bool:
        return any(error.field in fields for error in self.errors)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
