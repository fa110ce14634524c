"""Product images: upload, alt text, order, delete (fragments of the product page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.catalog import selectors, services
from apps.catalog.forms import (
    ImageAltForm,
    ImageUploadForm,
    ProductForm,
    VariantFormSet,
    apply_domain_error,
)
from apps.catalog.models import Product
from apps.catalog.permissions import MANAGE_CATALOG
from apps.catalog.views.common import catalog_url, product_initial, product_or_404, variant_initial
from apps.catalog.views.products import product_form_page
from apps.core.exceptions import DomainError
from apps.core.htmx import redirect_with_error, redirect_with_message
from apps.core.tenancy import store_view
from apps.core.uploads import upload_was_stopped


def _images_url(request: HttpRequest, product: Product) -> str:
    return catalog_url("product-update", request, product_id=product.pk) + "#images"


@store_view(MANAGE_CATALOG)
@require_POST
def image_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    form = ImageUploadForm(request.POST, request.FILES)
    if upload_was_stopped(request):  # the body passed the request limit while it was read
        form.is_valid()
        form.errors["image"] = form.error_class(
            [f"The image is larger than {services.IMAGE_MAX_BYTES // 1024 // 1024} MB."]
        )
    elif form.is_valid():
        try:
            services.image_add(
                store=request.store,
                actor=request.user,
                product=product,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as error:
            apply_domain_error(error, form)
        else:
            return redirect_with_message(request, _images_url(request, product), "Image added.")
    # the error shows at the upload control (the form posts to …#add-image), focused and
    # announced, not at the top of a long page
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs.update(
                {"autofocus": True, "aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
            )
    category_choices = selectors.category_choices(store=request.store)
    return product_form_page(
        request,
        product,
        ProductForm(initial=product_initial(product), category_choices=category_choices),
        VariantFormSet(
            initial=variant_initial(product),
            prefix="variants",
            form_kwargs={"currency": request.store.currency},
        ),
        image_form=form,
        status=400,
    )


@store_view(MANAGE_CATALOG)
@require_POST
def image_update(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    form = ImageAltForm(request.POST)
    if form.is_valid():
        try:
            services.image_update(
                store=request.store,
                actor=request.user,
                product=product,
                image=image_id,
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as error:
            return redirect_with_error(request, _images_url(request, product), error)
        return redirect_with_message(request, _images_url(request, product), "Alt text saved.")
    messages.error(request, form.errors["alt_text"][0])
    return redirect(_images_url(request, product))


@store_view(MANAGE_CATALOG)
@require_POST
def image_move(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    try:
        services.image_move(
            store=request.store,
            actor=request.user,
            product=product,
            image=image_id,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        return redirect_with_error(request, _images_url(request, product), error)
    return redirect_with_message(request, _images_url(request, product), "Image order saved.")


@store_view(MANAGE_CATALOG)
@require_POST
def image_delete(request: HttpRequest, product_id: int, image_id: int) -> HttpResponse:
    product = product_or_404(request, product_id)
    try:
        services.image_delete(
            store=request.store, actor=request.user, product=product, image=image_id
        )
    except DomainError as error:
        return redirect_with_error(request, _images_url(request, product), error)
    return redirect_with_message(request, _images_url(request, product), "Image removed.")
