"""The index-table pattern: search, filter chips, sortable headers and pagination.

A view builds a ``TableQuery`` from the request and a queryset; the template renders it with
the components in ``templates/components/``. Every control is a link or a GET form carrying
the whole state in the query string, so a filtered, sorted page can be bookmarked, and htmx
swaps only the table (``hx-push-url`` keeps the address bar in step).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort_field: str | None = None  # ORM expression; None = not sortable
    numeric: bool = False


@dataclass(frozen=True)
class ChoiceFilter:
    param: str
    label: str
    choices: Sequence[tuple[str, str]]
    apply: Callable[[QuerySet, str], QuerySet]


@dataclass(frozen=True)
class DateRangeFilter:
    """Two date inputs (``from``/``to``, inclusive, in the active time zone) on ``field``."""

    field: str
    param_from: str = "from"
    param_to: str = "to"
    label_from: str = "From"
    label_to: str = "To"


@dataclass
class DateControl:
    param: str
    label: str
    value: str


@dataclass
class HeaderCell:
    column: Column
    url: str | None
    direction: str | None  # "asc", "desc" or None when not the sort column


@dataclass
class FilterChip:
    label: str
    remove_url: str


@dataclass
class FilterControl:
    param: str
    label: str
    choices: Sequence[tuple[str, str]]
    value: str


@dataclass
class TableQuery:
    request: HttpRequest
    queryset: QuerySet
    columns: Sequence[Column]
    search_fields: Sequence[str] = ()
    filters: Sequence[ChoiceFilter] = ()
    default_sort: str = ""
    per_page: int = 25
    search: Callable[[QuerySet, str], QuerySet] | None = None
    date_range: DateRangeFilter | None = None
    page: Page = field(init=False)
    params: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        get = self.request.GET
        self.params = {key: value for key, value in get.items() if value != ""}
        self.q = get.get("q", "").strip()
        qs = self.queryset
        if self.q:
            qs = self.search(qs, self.q) if self.search else self._default_search(qs, self.q)
        self.active_filters: list[tuple[ChoiceFilter, str]] = []
        for choice_filter in self.filters:
            value = get.get(choice_filter.param, "")
            if value and value in dict(choice_filter.choices):
                qs = choice_filter.apply(qs, value)
                self.active_filters.append((choice_filter, value))
        self.active_dates: list[tuple[str, str, datetime.date]] = []  # (param, label, day)
        self.date_values: dict[str, str] = {}  # the days given, as typed (ISO)
        self.date_error = ""
        if self.date_range:
            qs = self._apply_dates(qs, self.date_range)
        self.sort = self._sort_key(get.get("sort", ""))
        qs = qs.order_by(*self._order_by(self.sort))
        size = _int(get.get("per_page"), self.per_page)
        self.page_size = size if size in PAGE_SIZES else self.per_page
        self.filtered_queryset = qs
        paginator = Paginator(qs, self.page_size)
        try:
            self.page = paginator.page(get.get("page", 1))
        except PageNotAnInteger:
            self.page = paginator.page(1)
        except EmptyPage:
            self.page = paginator.page(paginator.num_pages)

    # -- querying -------------------------------------------------------------------------------
    def _default_search(self, qs: QuerySet, q: str) -> QuerySet:
        condition = Q()
        for name in self.search_fields:
            condition |= Q(**{f"{name}__icontains": q})
        return qs.filter(condition) if self.search_fields else qs

    def _apply_dates(self, qs: QuerySet, dates: DateRangeFilter) -> QuerySet:
        """Filter by the days given; a reversed range filters nothing and says so
        (``date_error``, shown next to the date inputs, which keep the days typed)."""
        get = self.request.GET
        given = {param: _date(get.get(param)) for param in (dates.param_from, dates.param_to)}
        self.date_values = {param: day.isoformat() for param, day in given.items() if day}
        start, end = given[dates.param_from], given[dates.param_to]
        if start and end and start > end:
            self.date_error = (
                f"“{dates.label_from}” ({_day(start)}) is after “{dates.label_to}” "
                f"({_day(end)}): swap the dates to see the entries between them."
            )
            return qs
        for param, label, lookup in (
            (dates.param_from, dates.label_from, "gte"),
            (dates.param_to, dates.label_to, "lte"),
        ):
            day = given[param]
            if day is not None:
                qs = qs.filter(**{f"{dates.field}__date__{lookup}": day})
                self.active_dates.append((param, label, day))
        return qs

    def _sortable(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns if column.sort_field}

    def _sort_key(self, raw: str) -> str:
        key = raw.lstrip("-")
        return raw if key in self._sortable() else self.default_sort

    def _order_by(self, sort: str) -> list[str]:
        if not sort:
            return ["-pk"]
        descending = sort.startswith("-")
        column = self._sortable()[sort.lstrip("-")]
        expression = f"-{column.sort_field}" if descending else column.sort_field
        # a stable tiebreaker keeps pages from overlapping
        return [expression, "-pk" if descending else "pk"]

    # -- links ----------------------------------------------------------------------------------
    def url(self, **changes: str | int | None) -> str:
        params = dict(self.params)
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = str(value)
        if "page" not in changes:
            params.pop("page", None)
        return f"{self.request.path}?{urlencode(params)}" if params else self.request.path

    @property
    def headers(self) -> list[HeaderCell]:
        cells = []
        current = self.sort.lstrip("-")
        for column in self.columns:
            if not column.sort_field:
                cells.append(HeaderCell(column, None, None))
                continue
            if column.key == current:
                direction = "desc" if self.sort.startswith("-") else "asc"
                target = column.key if direction == "desc" else f"-{column.key}"
            else:
                direction = None
                target = column.key
            cells.append(HeaderCell(column, self.url(sort=target), direction))
        return cells

    @property
    def chips(self) -> list[FilterChip]:
        chips = []
        if self.q:
            chips.append(FilterChip(f"Search: {self.q}", self.url(q=None)))
        for choice_filter, value in self.active_filters:
            label = dict(choice_filter.choices)[value]
            chips.append(
                FilterChip(
                    f"{choice_filter.label}: {label}", self.url(**{choice_filter.param: None})
                )
            )
        for param, label, day in self.active_dates:
            chips.append(FilterChip(f"{label}: {_day(day)}", self.url(**{param: None})))
        return chips

    @property
    def filter_controls(self) -> list[FilterControl]:
        return [
            FilterControl(f.param, f.label, f.choices, self.params.get(f.param, ""))
            for f in self.filters
        ]

    @property
    def date_controls(self) -> list[DateControl]:
        if not self.date_range:
            return []
        given, dates = self.date_values, self.date_range
        return [
            DateControl(dates.param_from, dates.label_from, given.get(dates.param_from, "")),
            DateControl(dates.param_to, dates.label_to, given.get(dates.param_to, "")),
        ]

    @property
    def hidden_params(self) -> dict[str, str]:
        """State the search form must carry along (sort, page size)."""
        return {k: v for k, v in self.params.items() if k in {"sort", "per_page"}}

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.active_filters or self.active_dates)

    @property
    def previous_url(self) -> str | None:
        return self.url(page=self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        return self.url(page=self.page.next_page_number()) if self.page.has_next() else None


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default
