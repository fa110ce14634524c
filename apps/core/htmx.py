"""The form pattern's responses: the page or its partial, and a redirect with a toast."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from apps.core.exceptions import DomainError


def render_page(
    request: HttpRequest, template: str, context: dict, *, partial: str | None = None, status=200
) -> HttpResponse:
    """The whole page, or only ``template#partial`` when htmx asked for it."""
    name = f"{template}#{partial}" if partial and request.htmx else template
    return render(request, name, context, status=status)


def redirect_with_message(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """After a successful POST: a toast on the next page, through htmx or a plain redirect."""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def redirect_with_error(request: HttpRequest, url: str, error: DomainError | str) -> HttpResponse:
    """After a POST a service refused: its message as an error toast on the page at ``url``.

    The shared end of ``except DomainError as error: return redirect_with_error(…)``."""
    messages.error(request, error.message if isinstance(error, DomainError) else error)
    return redirect(url)
