"""The category tree: add, rename, move up/down, change parent, delete."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import (
    CategoryForm,
    CategoryParentForm,
    apply_domain_error,
)
from apps.catalog.models import Product
from apps.catalog.permissions import MANAGE_CATALOG, VIEW_CATALOG
from apps.catalog.views.common import can_edit_catalog, catalog_url
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_error, redirect_with_message, render_page
from apps.core.tenancy import store_view


@dataclass(frozen=True)
class CategoryEdit:
    """A rename or move that was refused: its category's edit panel opens again with what was
    typed or chosen and the message next to that field."""

    category_id: int
    name: str
    parent: str  # the chosen parent's id, "" for the top level
    name_error: str = ""
    parent_error: str = ""


def _category_page(request, form=None, status=200, editing=None) -> HttpResponse:
    store = request.store
    choices = selectors.category_choices(store=store)
    nodes = selectors.category_flat_with_moves(store=store)
    context = {
        "can_edit": can_edit_catalog(request),
        "nodes": nodes,
        "editing": editing,
        "form": form or CategoryForm(category_choices=choices),
        "category_choices": choices,
        "uncategorised": Product.objects.for_store(store).filter(category__isnull=True).count(),
    }
    return render_page(
        request, "catalog/category_list.html", context, partial="category-tree", status=status
    )


# a refused rename or move is kept here across the redirect back to the list (post/redirect/get:
# the address stays the page's and a reload never sends the form again)
EDIT_SESSION_KEY = "catalog_category_edit"


def _edit_refused(request: HttpRequest, editing: CategoryEdit) -> HttpResponse:
    request.session[EDIT_SESSION_KEY] = {"store": request.store.pk, **asdict(editing)}
    return redirect(catalog_url("category-list", request))


def _edit_kept(request: HttpRequest) -> CategoryEdit | None:
    kept = request.session.pop(EDIT_SESSION_KEY, None)
    if not kept or kept.pop("store", None) != request.store.pk:
        return None
    return CategoryEdit(**kept)


def _parent_value(parent_id: int | None) -> str:
    return str(parent_id) if parent_id else ""


def _category_or_404(request: HttpRequest, category_id: int):
    return selectors.category_get(store=request.store, category_id=category_id)


@store_view(VIEW_CATALOG)
def category_list(request: HttpRequest) -> HttpResponse:
    return _category_page(request, editing=_edit_kept(request))


@store_view(MANAGE_CATALOG)
@require_POST
def category_create(request: HttpRequest) -> HttpResponse:
    choices = selectors.category_choices(store=request.store)
    form = CategoryForm(request.POST, category_choices=choices)
    if form.is_valid():
        try:
            category = services.category_create(
                store=request.store,
                actor=request.user,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            )
        except DomainError as error:
            apply_domain_error(error, form)
        else:
            return redirect_with_message(
                request, catalog_url("category-list", request), f"Category “{category.name}” added."
            )
    return _category_page(request, form=form, status=400)


@store_view(MANAGE_CATALOG)
@require_POST
def category_update(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    name = request.POST.get("name", "")
    try:
        services.category_change(
            store=request.store, actor=request.user, category=category, name=name
        )
    except DomainError as error:
        editing = CategoryEdit(
            category.pk, name, _parent_value(category.parent_id), name_error=error.message
        )
        return _edit_refused(request, editing)
    return redirect_with_message(
        request, catalog_url("category-list", request), "Category renamed."
    )


@store_view(MANAGE_CATALOG)
@require_POST
def category_move(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    try:
        services.category_move(
            store=request.store,
            actor=request.user,
            category=category,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        return redirect_with_error(request, catalog_url("category-list", request), error)
    if request.htmx:
        return _category_page(request)
    return redirect(catalog_url("category-list", request))


@store_view(MANAGE_CATALOG)
@require_POST
def category_parent(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    form = CategoryParentForm(
        request.POST, category_choices=selectors.category_choices(store=request.store)
    )
    chosen = request.POST.get("parent", "")
    if not form.is_valid():
        editing = CategoryEdit(
            category.pk, category.name, chosen, parent_error="Pick a category from the list."
        )
        return _edit_refused(request, editing)
    try:
        services.category_change(
            store=request.store,
            actor=request.user,
            category=category,
            parent=form.cleaned_data["parent"],
        )
    except DomainError as error:
        editing = CategoryEdit(category.pk, category.name, chosen, parent_error=error.message)
        return _edit_refused(request, editing)
    return redirect_with_message(
        request, catalog_url("category-list", request), f"Category “{category.name}” moved."
    )


@store_view(MANAGE_CATALOG)
@require_POST
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    category = _category_or_404(request, category_id)
    try:
        services.category_delete(store=request.store, actor=request.user, category=category)
    except DomainError as error:
        return redirect_with_error(request, catalog_url("category-list", request), error)
    return redirect_with_message(
        request, catalog_url("category-list", request), f"Category “{category.name}” deleted."
    )
