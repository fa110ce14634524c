"""The form pattern's responses: the page or its partial, and a redirect with a toast."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect


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
