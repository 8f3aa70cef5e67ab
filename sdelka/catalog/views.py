"""Pages of the products catalog: the list beside the group tree, a product's page, its form.

Everyone reads the catalog; heads of sales and administrators keep it (the role table decides), so the
other roles see no edit controls and get 403 if they post anyway.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.catalog import selectors, services
from sdelka.catalog.filters import ProductFilter
from sdelka.catalog.forms import MoveToGroupForm, ProductForm
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core import views as core_views
from sdelka.core.forms import INDENT
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment
from sdelka.core.tree import flatten_tree
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate

PRODUCT_SORTS = {"name": ("name",), "sku": ("sku",), "price": ("price",), "cost_price": ("cost_price",)}
TABS = (("main", gettext_lazy("Main")), ("history", gettext_lazy("History")))
GROUP_URLS = {
    "create": "catalog:product_group_create",
    "rename": "catalog:product_group_rename",
    "move": "catalog:product_group_move",
    "delete": "catalog:product_group_delete",
}
LIST_TEMPLATE = "catalog/product_list.html"
BROWSER_FRAGMENT = "catalog/partials/_product_browser.html"
DETAIL_TEMPLATE = "catalog/product_detail.html"
TABS_FRAGMENT = "catalog/partials/_product_tabs.html"


def _product_or_404(user, pk) -> Product:
    try:
        return selectors.product_get(user=user, pk=pk)
    except Product.DoesNotExist as error:
        raise Http404 from error


def _list_context(request, query: QueryDict) -> dict:
    user = request.user
    products = selectors.product_list(user=user)
    filterset = ProductFilter(query, queryset=products, request=request)
    ordered, sort = apply_sort(filterset.qs, query.get("sort"), PRODUCT_SORTS, "name")
    cleaned = filterset.form.cleaned_data
    nodes = flatten_tree(selectors.product_group_tree(user=user))
    ungrouped = products.filter(group__isnull=True).count()
    return {
        "filter": filterset,
        "form": filterset.form,
        "query": query,
        "page": paginate(ordered, query.get("page")),
        "sort": sort,
        "nodes": nodes,
        "group_options": [{"pk": n.group.pk, "label": INDENT * n.depth + n.group.name} for n in nodes],
        "selected_group": cleaned.get("group"),
        "include_subgroups": cleaned.get("include_subgroups") is not False,
        "without_group": bool(cleaned.get("without_group")),
        "ungrouped_count": ungrouped,
        "all_count": sum(n.total_count for n in nodes if n.depth == 0) + ungrouped,
        "can_add": role_can(user, "add", "product"),
        "can_move": role_can(user, "change", "product"),
        "can_manage_groups": role_can(user, "change", "product_group"),
        "list_query": query.urlencode(),
        "group_urls": GROUP_URLS,
    }


@login_required
def product_list(request):
    return render_page_or_fragment(
        request, LIST_TEMPLATE, BROWSER_FRAGMENT, _list_context(request, request.GET)
    )


def _describe_moved_products(moved: int, group) -> str:
    if group:
        return ngettext(
            "%(n)d product moved to “%(group)s”.", "%(n)d products moved to “%(group)s”.", moved
        ) % {"n": moved, "group": group.name}
    return ngettext(
        "%(n)d product taken out of its group.", "%(n)d products taken out of their groups.", moved
    ) % {"n": moved}


@require_POST
@login_required
def product_move_to_group(request):
    """Move the ticked products into a group."""
    return core_views.move_items_to_group(
        request,
        resource="product",
        item_field="product",
        form_class=MoveToGroupForm,
        visible_items=selectors.product_list(user=request.user),
        move=lambda *, actor, items, group: services.products_move_to_group(
            actor=actor, products=items, group=group
        ),
        describe=_describe_moved_products,
        list_context=_list_context,
        fragment=BROWSER_FRAGMENT,
        list_url="catalog:product_list",
        nothing_ticked=_("Tick the products to move first."),
    )


_group_args = {"group_model": ProductGroup, "list_url": "catalog:product_list", "resource": "product_group"}
product_group_create = partial(core_views.group_create, service=services.product_group_create, **_group_args)
product_group_rename = partial(core_views.group_rename, service=services.product_group_rename, **_group_args)
product_group_move = partial(core_views.group_move, service=services.product_group_move, **_group_args)
product_group_delete = partial(core_views.group_delete, service=services.product_group_delete, **_group_args)


@login_required
def product_detail(request, pk: int):
    product = _product_or_404(request.user, pk)
    tab = request.GET.get("tab", "main")
    if tab not in dict(TABS):
        tab = "main"
    context = {
        "product": product,
        "tab": tab,
        "tabs": TABS,
        "can_change": role_can(request.user, "change", "product"),
        "can_delete": role_can(request.user, "delete", "product"),
    }
    if tab == "history":
        context["history"] = history_for(product)
    return render_page_or_fragment(request, DETAIL_TEMPLATE, TABS_FRAGMENT, context)


@login_required
def product_create(request):
    ensure_role(request.user, "add", "product")
    initial = {}
    if str(request.GET.get("group", "")).isdigit():
        initial["group"] = request.GET["group"]
    return form_page(
        request,
        ProductForm(request.POST or None, initial=initial),
        save=lambda data: services.product_create(actor=request.user, data=data),
        template="catalog/product_form.html",
        context={"product": None},
        success=lambda product: _("Product “%(name)s” created.") % {"name": product.name},
        next_url=lambda product: reverse("catalog:product_detail", args=[product.pk]),
    )


@login_required
def product_edit(request, pk: int):
    product = _product_or_404(request.user, pk)
    ensure_role(request.user, "change", "product")
    return form_page(
        request,
        ProductForm(request.POST or None, instance=product),
        save=lambda data: services.product_update(actor=request.user, product=product, data=data),
        template="catalog/product_form.html",
        context={"product": product},
        success=lambda saved: _("Product “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("catalog:product_detail", args=[saved.pk]),
        instance=product,
    )


@login_required
def product_delete(request, pk: int):
    product = _product_or_404(request.user, pk)
    ensure_role(request.user, "delete", "product")
    if request.method == "POST":
        name = product.name
        try:
            services.product_delete(actor=request.user, product=product)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("catalog:product_detail", pk=pk)
        messages.success(request, _("Product “%(name)s” deleted.") % {"name": name})
        return redirect("catalog:product_list")
    return render(request, "catalog/product_confirm_delete.html", {"product": product})
