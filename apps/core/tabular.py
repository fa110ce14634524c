"""Uploaded tables (CSV, XLSX) → a header row and a stream of text rows, for every import
(the catalog's products, shipping's zones and rates). Constant memory for any size.

CSV must be UTF-8 (with or without a byte-order mark); anything else is refused with a message
that says how to save the file properly. A CSV cell the portal guarded against formula injection
(``'=…``, see ``apps.core.csv``) is read back without the guard, so an export re-imports as it
was.

An XLSX is a zip of XML files, so a few megabytes can unpack to gigabytes: before openpyxl
reads it (in read-only, streaming mode) the archive's unpacked size is capped
(``IMPORT_XLSX_MAX_UNPACKED_BYTES``) and its shared-strings table, which openpyxl keeps in
memory, is bounded (``IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES``, measured while unpacking, not
taken from the header). Rows are counted by reading them, never from the sheet's own
``<dimension>``, which any tool may write wrong. XLSX is read with openpyxl's streaming reader.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.http import HttpRequest
from openpyxl import load_workbook

from apps.core.csv import unguard_cell
from apps.core.uploads import human_size, upload_was_stopped

# the setting IMPORT_MAX_UPLOAD_BYTES (MAX_REQUEST_BYTES, the body limit, builds on it)
MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# a request body may exceed the file by its form fields and multipart headers
UPLOAD_MARGIN = 64 * 1024
CHUNK = 1024 * 1024
FIELD_SIZE_LIMIT = 131072  # the csv module's default: 128 KiB in one cell
# the mapping page is one form field per column: stay well under DATA_UPLOAD_MAX_NUMBER_FIELDS
MAX_COLUMNS = 200

XLSX_MAGIC = b"PK\x03\x04"
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole can't be read; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def upload_size_refusal(request: HttpRequest, *, limit: int | None = None) -> str:
    """Why an upload's request is refused for its size, or ``""``; call it before the form.

    A request whose ``Content-Length`` is over ``limit`` (plus a margin for the form) is refused
    from that number alone, without reading the upload; otherwise the upload is read (through
    ``request.FILES``) and refused when the portal's upload handler stopped it part way (a body
    whose length was not known, or not what it said). The message goes next to the file field.
    """
    limit = MAX_UPLOAD_BYTES if limit is None else limit
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + UPLOAD_MARGIN:
        return (
            f"The file is about {human_size(length)}; the limit is {human_size(limit)}. "
            "Split it into smaller files."
        )
    request.FILES  # noqa: B018 - reading the upload is what lets the handler stop it
    if upload_was_stopped(request):
        return (
            f"The file is larger than the limit of {human_size(limit)}. "
            "Split it into smaller files."
        )
    return ""


def check_size(size: int, *, limit: int = MAX_UPLOAD_BYTES) -> None:
    if size > limit:
        raise ImportFileError(
            f"The file is {human_size(size)}; the limit is {human_size(limit)}. "
            "Split it into smaller files and import them one after the other."
        )
    if size == 0:
        raise ImportFileError("The file is empty.")


def check_columns(headers: list[str], *, limit: int = MAX_COLUMNS) -> None:
    """Refuse a header row wider than an import reads (its mapping page couldn't be sent)."""
    if len(headers) > limit:
        raise ImportFileError(
            f"The file has {len(headers):,} columns; an import reads at most {limit:,}. "
            "Remove the columns you don't need and upload it again."
        )


def detect_format(name: str, head: bytes) -> str:
    """``"csv"`` or ``"xlsx"`` from the content first, the file name second."""
    lower = name.lower()
    if head.startswith(XLSX_MAGIC):
        if lower.endswith((".xlsx", ".xlsm")) or not lower.endswith(".csv"):
            return "xlsx"
        raise ImportFileError(
            "This file is named .csv but is a spreadsheet workbook. Upload it as .xlsx, "
            "or save it from your spreadsheet as “CSV UTF-8”."
        )
    if lower.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Old Excel files (.xls) can't be imported. Save the sheet as .xlsx or “CSV UTF-8”."
        )
    if lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError("This file is named .xlsx but isn't an Excel workbook.")
    return "csv"


def check_csv_encoding(stream: IO[bytes]) -> None:
    """Refuse anything but UTF-8 text, reading the whole file in 1 MB chunks."""
    stream.seek(0)
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            "This CSV is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and upload again."
        )
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    line = 1
    while chunk := stream.read(CHUNK):
        if b"\x00" in chunk:
            raise ImportFileError(
                "This file contains binary data, not text: it isn't a CSV file. "
                "Save it as CSV (UTF-8) or XLSX and upload that."
            )
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            bad = offset + error.start
            line += chunk[: error.start].count(b"\n")
            sample = chunk[error.start : error.start + 1]
            hint = (
                " It looks like Windows-1252/Latin-1 (Excel's plain “CSV” format)."
                if sample and 0x80 <= sample[0] <= 0xFF
                else ""
            )
            raise ImportFileError(
                f"This CSV isn't UTF-8 text: the byte at position {bad:,} (line {line:,}) "
                f"can't be read.{hint} Save it as “CSV UTF-8” and upload again."
            ) from None
        line += chunk.count(b"\n")
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFileError(
            "This CSV isn't UTF-8 text: it ends in the middle of a character. "
            "Save it as “CSV UTF-8” and upload again."
        ) from None
    stream.seek(0)


def estimate_rows(stream: IO[bytes], file_format: str) -> int:
    """Data rows: line breaks for CSV; for XLSX the rows themselves, read in streaming mode."""
    stream.seek(0)
    if file_format == "xlsx":
        with open_tabular_file(stream, "xlsx") as table:
            return sum(1 for _row in table.rows())
    lines = 0
    last = b""
    while chunk := stream.read(CHUNK):
        lines += chunk.count(b"\n")
        last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    stream.seek(0)
    return max(lines - 1, 0)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


class TabularFile:
    """``headers`` and ``rows()`` → ``(row_number, [cell text, …])``; row 1 is the header.

    Subclasses read one format each and define ``rows()``.
    """

    headers: list[str]
    estimated_rows: int = 0

    def close(self) -> None:
        return None

    def __enter__(self) -> TabularFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class CsvFile(TabularFile):
    def __init__(self, stream: IO[bytes]):
        stream.seek(0)
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        sample = self._text.read(64 * 1024)
        self._text.seek(0)
        delimiter = ","
        first_line = sample.split("\n", 1)[0]
        if first_line.count(";") > first_line.count(",") and first_line.count(";") >= 2:
            delimiter = ";"  # spreadsheets in many European locales
        elif first_line.count("\t") > first_line.count(",") and first_line.count("\t") >= 2:
            delimiter = "\t"
        csv.field_size_limit(FIELD_SIZE_LIMIT)
        self._reader = csv.reader(self._text, delimiter=delimiter)
        try:
            header_row = next(self._reader, None)
        except csv.Error as error:
            raise ImportFileError(
                f"The first line can't be read as CSV ({error}). Is this a CSV file?"
            ) from None
        except UnicodeDecodeError:
            raise ImportFileError(
                "This CSV isn't UTF-8 text. Save it as “CSV UTF-8” and upload again."
            ) from None
        if not header_row or not any(cell.strip() for cell in header_row):
            raise ImportFileError("The first line is empty: it must hold the column headers.")
        self.headers = [cell.strip() for cell in header_row]
        check_columns(self.headers)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        row_number = 1
        while True:
            try:
                row = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(
                    f"Row {row_number + 1:,} can't be read as CSV ({error}). "
                    "Check for an unclosed quote or a cell over 128 KB."
                ) from None
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"Row {row_number + 1:,} isn't UTF-8 text. Save the file as “CSV UTF-8”."
                ) from None
            row_number += 1
            if not any(row):
                continue
            yield row_number, [unguard_cell(cell.strip()) for cell in row]

    def close(self) -> None:
        if not self._text.closed:
            self._text.detach()


def check_xlsx_archive(
    stream: IO[bytes], *, max_unpacked: int | None = None, max_shared_strings: int | None = None
) -> None:
    """Refuse a workbook that unpacks too big (a zip bomb) or whose shared strings are too big."""
    if max_unpacked is None:
        max_unpacked = getattr(settings, "IMPORT_XLSX_MAX_UNPACKED_BYTES", XLSX_MAX_UNPACKED_BYTES)
    if max_shared_strings is None:
        max_shared_strings = getattr(
            settings, "IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", XLSX_MAX_SHARED_STRINGS_BYTES
        )
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            "This file isn't a readable Excel workbook. Save it again as .xlsx, or as “CSV UTF-8”."
        ) from None
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise ImportFileError(
            f"This workbook unpacks to {human_size(unpacked)}; the limit is "
            f"{human_size(max_unpacked)}. Split it into smaller files, or save it as "
            "“CSV UTF-8” and import that."
        )
    shared = next(
        (m for m in members if m.filename.lower().lstrip("/") == "xl/sharedstrings.xml"), None
    )
    if shared is not None:
        too_big = ImportFileError(
            "This workbook's table of texts (sharedStrings.xml) is over "
            f"{human_size(max_shared_strings)}. Split it into smaller files, or save it as "
            "“CSV UTF-8” and import that."
        )
        if shared.file_size > max_shared_strings:
            raise too_big
        read = 0
        try:
            with archive.open(shared) as member:  # its real size, whatever the header says
                while chunk := member.read(CHUNK):
                    read += len(chunk)
                    if read > max_shared_strings:
                        raise too_big
        except (zipfile.BadZipFile, OSError, EOFError):
            raise ImportFileError(
                "This workbook is damaged. Save it again as .xlsx, or as “CSV UTF-8”."
            ) from None
    stream.seek(0)


class XlsxFile(TabularFile):
    def __init__(self, stream: IO[bytes]):
        check_xlsx_archive(stream)
        stream.seek(0)
        try:
            self._workbook = load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
            raise ImportFileError(
                f"This file isn't a readable Excel workbook ({type(error).__name__}). "
                "Save it again as .xlsx, or as “CSV UTF-8”."
            ) from None
        if not self._workbook.worksheets:
            raise ImportFileError("The workbook has no sheet.")
        self._sheet = self._workbook.worksheets[0]
        self._sheet.reset_dimensions()  # read every row, whatever <dimension> claims
        self._iterator = self._sheet.iter_rows(values_only=True)
        header_row = next(self._iterator, None)
        if not header_row or not any(cell not in (None, "") for cell in header_row):
            raise ImportFileError(
                "The first row of the first sheet is empty: it must hold the column headers."
            )
        self.headers = [_cell_text(cell) for cell in header_row]
        while self.headers and not self.headers[-1]:
            self.headers.pop()
        try:
            check_columns(self.headers)
        except ImportFileError:
            self._workbook.close()
            raise
        self.estimated_rows = -1  # the sheet's own <dimension> is not trusted: count the rows

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.headers)
        for row_number, row in enumerate(self._iterator, start=2):
            cells = [_cell_text(cell) for cell in row[:width]]
            if not any(cells):
                continue
            yield row_number, cells

    def close(self) -> None:
        self._workbook.close()


def open_tabular_file(stream: IO[bytes], file_format: str) -> TabularFile:
    if file_format == "xlsx":
        return XlsxFile(stream)
    return CsvFile(stream)
