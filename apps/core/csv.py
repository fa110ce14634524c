"""CSV that is safe to open in a spreadsheet: every CSV the portal writes goes through here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula ("CSV injection"). Following OWASP, such a
cell is written with a single quote in front (``'=HYPERLINK(…)``), which spreadsheets treat as
text. Numbers stay numbers: a value that *is* a number (``int``, ``Decimal``, ``float``; the
export's numeric columns such as price and stock) is written as it is, and so is a text that is
a plain decimal number (an optional sign, digits, an optional decimal part: ``-5``, ``+3.2``,
``-0.50``, as an import's error file repeats its cells), which a spreadsheet reads as that
number, not as a formula. Any other text starting with one of those characters is guarded:
``-2+3``, ``+1-1``, ``=1``, ``@SUM(A1)``.

``unguard_cell`` undoes the guard when a file is read back, so an export imports unchanged. A
text that itself starts with quotes before such a character gets one more quote, so even a
title ``'+1`` survives the round trip.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# text a spreadsheet reads as a number: an optional sign, ASCII digits, an optional decimal part
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def needs_guard(text: str) -> bool:
    """Text a spreadsheet would read as a formula (after any leading quotes); a plain decimal
    number such as ``-5`` is not one."""
    text = text.lstrip(GUARD)
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def guard_cell(value: Any) -> Any:
    """The value as a spreadsheet will read it as text: ``'`` before a formula-like start.

    Numbers (``int``, ``float``, ``Decimal``), ``None`` and booleans are returned unchanged.
    """
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return GUARD + text if needs_guard(text) else text


def unguard_cell(text: str) -> str:
    """Undo ``guard_cell``: ``'=SUM(A1)`` → ``=SUM(A1)``; any other text is unchanged."""
    if text.startswith(GUARD) and needs_guard(text):
        return text[1:]
    return text


def guard_row(row: Iterable[Any]) -> list[Any]:
    return [guard_cell(value) for value in row]


class GuardedWriter:
    """``csv.writer`` that guards every cell; use it for every CSV the portal produces."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(guard_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def guarded_writer(stream, **kwargs) -> GuardedWriter:
    return GuardedWriter(stream, **kwargs)


# the same rule as ``needs_guard`` as PostgreSQL regular expressions (E'' strings: \t, \r, \.)
SQL_GUARD_PATTERN = "E'^''*[-=+@\\t\\r]'"
SQL_PLAIN_NUMBER_PATTERN = "E'^''*[-+]?[0-9]+(\\\\.[0-9]+)?$'"


def sql_guard(expression: str) -> str:
    """A PostgreSQL expression applying ``guard_cell`` to a text ``expression`` (for COPY)."""
    return (
        f"CASE WHEN ({expression}) ~ {SQL_GUARD_PATTERN} "
        f"AND ({expression}) !~ {SQL_PLAIN_NUMBER_PATTERN} "
        f"THEN '''' || ({expression}) ELSE ({expression}) END"
    )
