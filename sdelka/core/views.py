"""The shell's pages (home, "coming soon", health) and the helpers every list page shares.

The helpers are small on purpose: sorting by a whitelisted column, paginating, and the four group
actions (create, rename, move, delete) that both catalogs (partners, products) offer beside their lists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.context_processors import SECTIONS
from sdelka.core.forms import GroupCreateForm, GroupMoveForm, GroupRenameForm, add_service_errors
from sdelka.core.models import CatalogGroup

PAGE_SIZE = 50


@login_required
def home(request):
    return redirect("partners:partner_list")


@login_required
def coming(request, section: str):
    titles = {key: title for key, title, url_name in SECTIONS if url_name is None}
    if section not in titles:
        raise Http404
    return render(request, "core/coming.html", {"section": section, "title": titles[section]})


def healthz(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- list helpers ------------------------------------------------------------------------------------------


def apply_sort(
    queryset: QuerySet, value: str | None, columns: dict[str, tuple[str, ...]], default: str
) -> tuple[QuerySet, str]:
    """Order by a column the page offers (``"name"`` or ``"-name"``); anything else falls back to ``default``.

    Empty values sort last either way, and the id breaks ties so that pages never overlap.
    """
    key = (value or "").strip()
    if key.lstrip("-") not in columns:
        key = default
    descending = key.startswith("-")
    fields = [*columns[key.lstrip("-")], "pk"]
    order = [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields]
    return queryset.order_by(*order), key


def paginate(queryset: QuerySet, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The requested page (the last one if the number is too big), with an elided range of page links."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(page_number)
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def form_page(
    request,
    form,
    *,
    save: Callable[[dict], Model],
    template: str,
    context: dict,
    success: Callable[[Model], str],
    next_url: Callable[[Model], str],
    instance: Model | None = None,
):
    """The create/edit page every record has: GET shows ``form``; a valid POST hands its data to ``save``
    (a service); the service's ``ValidationError`` is shown next to the fields, with ``instance`` read again
    so the page never shows values that were not stored; success says ``success(record)`` and redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form.service_data())
        except ValidationError as error:
            if instance is not None and instance.pk:
                instance.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, success(record))
            return redirect(next_url(record))
    return render(request, template, {"form": form, **context})


def selected_ids(values) -> list[int]:
    """Ids ticked in a list; anything that is not a number is dropped."""
    return [int(value) for value in values if str(value).isdigit()]


# --- group actions beside a catalog list -------------------------------------------------------------------


def ensure_role(user, action: str, resource: str) -> None:
    """403 for a write the user's role may not do at all (record scope is the selectors' business: 404)."""
    if not role_can(user, action, resource):
        raise PermissionDenied(_("Your role does not allow this action."))


def _back_to_list(list_url: str, group: CatalogGroup | None = None) -> HttpResponseRedirect:
    return redirect(f"{reverse(list_url)}?group={group.pk}" if group else reverse(list_url))


def _report_form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _run(request, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@require_POST
@login_required
def group_create(request, *, group_model: type[CatalogGroup], service, list_url: str, resource: str):
    ensure_role(request.user, "add", resource)
    form = GroupCreateForm(request.POST, group_model=group_model)
    if not form.is_valid():
        _report_form_errors(request, form)
        return _back_to_list(list_url)
    created = {}

    def action():
        created["group"] = service(
            actor=request.user, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
        )

    name = form.cleaned_data["name"].strip()
    _run(request, action, _("Group “%(name)s” created.") % {"name": name})
    return _back_to_list(list_url, created.get("group"))


@require_POST
@login_required
def group_rename(request, pk: int, *, group_model: type[CatalogGroup], service, list_url: str, resource: str):
    ensure_role(request.user, "change", resource)
    group = get_object_or_404(group_model, pk=pk)
    form = GroupRenameForm(request.POST)
    if not form.is_valid():
        _report_form_errors(request, form)
        return _back_to_list(list_url, group)
    old_name = group.name
    _run(
        request,
        lambda: service(actor=request.user, group=group, name=form.cleaned_data["name"]),
        _("Group “%(old)s” renamed to “%(new)s”.") % {"old": old_name, "new": group.name},
    )
    group.refresh_from_db()
    return _back_to_list(list_url, group)


@require_POST
@login_required
def group_move(request, pk: int, *, group_model: type[CatalogGroup], service, list_url: str, resource: str):
    ensure_role(request.user, "change", resource)
    group = get_object_or_404(group_model, pk=pk)
    form = GroupMoveForm(request.POST, group_model=group_model)
    if not form.is_valid():
        _report_form_errors(request, form)
        return _back_to_list(list_url, group)
    parent = form.cleaned_data["parent"]
    if parent:
        success = _("Group “%(name)s” moved into “%(parent)s”.") % {"name": group.name, "parent": parent.name}
    else:
        success = _("Group “%(name)s” moved to the top level.") % {"name": group.name}
    _run(request, lambda: service(actor=request.user, group=group, parent=parent), success)
    return _back_to_list(list_url, group)


@require_POST
@login_required
def group_delete(request, pk: int, *, group_model: type[CatalogGroup], service, list_url: str, resource: str):
    ensure_role(request.user, "delete", resource)
    group = get_object_or_404(group_model, pk=pk)
    name = group.name
    parent = group.parent
    if _run(
        request,
        lambda: service(actor=request.user, group=group),
        _("Group “%(name)s” deleted.") % {"name": name},
    ):
        return _back_to_list(list_url, parent)
    return _back_to_list(list_url, group)


def move_items_to_group(
    request,
    *,
    resource: str,
    item_field: str,
    form_class,
    visible_items: QuerySet,
    move: Callable,
    describe: Callable,
    list_context: Callable,
    fragment: str,
    list_url: str,
    nothing_ticked: str,
):
    """Move the ticked items of a list into a group chosen beside it; ids outside the user's scope are ignored.

    ``describe(moved, group)`` words the result in the domain's terms; htmx gets the refreshed list back.
    """
    from django.http import QueryDict

    from sdelka.core.htmx import wants_fragment

    ensure_role(request.user, "change", resource)
    query = QueryDict(request.POST.get("list_query", ""))
    form = form_class(request.POST)
    ids = selected_ids(request.POST.getlist(item_field))
    status = 200
    if not ids:
        messages.warning(request, nothing_ticked)
        status = 400
    elif not form.is_valid():
        messages.error(request, _("Choose a group from the list."))
        status = 400
    else:
        group = form.cleaned_data["group"]
        moved = move(actor=request.user, items=visible_items.filter(pk__in=ids), group=group)
        messages.success(request, describe(moved, group))
    if wants_fragment(request):
        context = {**list_context(request, query), "is_fragment": True}
        return render(request, fragment, context, status=status)
    return redirect(f"{reverse(list_url)}?{query.urlencode()}")
