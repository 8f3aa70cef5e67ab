"""Pages of partners: the list with the group tree, moving to groups, one partner with its tabs."""

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

from sdelka.accounts.models import User
from sdelka.accounts.permissions import role_can
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core import views as core_views
from sdelka.core.forms import INDENT
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment, wants_fragment
from sdelka.core.tree import flatten_tree
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.interactions import tabs as interaction_tabs
from sdelka.partners import selectors, services
from sdelka.partners.filters import PartnerFilter
from sdelka.partners.forms import (
    ContactPersonForm,
    CounterpartyForm,
    MoveToGroupForm,
    PartnerForm,
)
from sdelka.partners.models import Counterparty, Partner, PartnerGroup

PARTNER_SORTS = {
    "name": ("name",),
    "manager": ("manager__last_name", "manager__first_name", "manager__username"),
    "region": ("region",),
    "created": ("created_at",),
}
TABS = (
    ("main", gettext_lazy("Main")),
    ("counterparties", gettext_lazy("Counterparties")),
    ("contacts", gettext_lazy("Contact persons")),
    ("interactions", gettext_lazy("Interactions")),
    ("timeline", gettext_lazy("Timeline")),
    ("history", gettext_lazy("History")),
)
GROUP_URLS = {
    "create": "partners:partner_group_create",
    "rename": "partners:partner_group_rename",
    "move": "partners:partner_group_move",
    "delete": "partners:partner_group_delete",
}
LIST_TEMPLATE = "partners/partner_list.html"
BROWSER_FRAGMENT = "partners/partials/_partner_browser.html"
DETAIL_TEMPLATE = "partners/partner_detail.html"
TABS_FRAGMENT = "partners/partials/_partner_tabs.html"


def _partner_or_404(user, pk) -> Partner:
    try:
        return selectors.partner_get(user=user, pk=pk)
    except Partner.DoesNotExist as error:
        raise Http404 from error


def group_options(nodes) -> list[dict]:
    """Groups in tree order with indented labels, for the selects beside the list."""
    return [{"pk": node.group.pk, "label": INDENT * node.depth + node.group.name} for node in nodes]


# --- the list -----------------------------------------------------------------------------------------------


def _filter_managers(user):
    """Managers offered in the list's filter: those whose partners the user can see."""
    covered = covered_user_ids(user)
    users = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
    return users.order_by("last_name", "first_name", "username")


def _list_context(request, query: QueryDict) -> dict:
    user = request.user
    visible = selectors.partner_list(user=user)
    filterset = PartnerFilter(query, queryset=visible, request=request)
    filterset.filters["manager"].queryset = _filter_managers(user)
    partners, sort = apply_sort(filterset.qs, query.get("sort"), PARTNER_SORTS, "name")
    page = paginate(partners, query.get("page"))
    cleaned = filterset.form.cleaned_data
    nodes = flatten_tree(selectors.partner_group_tree(user=user))
    ungrouped = visible.filter(group__isnull=True).count()
    groups_total = sum(node.total_count for node in nodes if node.depth == 0)
    return {
        "filter": filterset,
        "form": filterset.form,
        "query": query,
        "page": page,
        "sort": sort,
        "nodes": nodes,
        "group_options": group_options(nodes),
        "selected_group": cleaned.get("group"),
        "include_subgroups": cleaned.get("include_subgroups") is not False,
        "without_group": bool(cleaned.get("without_group")),
        "ungrouped_count": ungrouped,
        "all_count": groups_total + ungrouped,
        "can_add": role_can(user, "add", "partner"),
        "can_move": role_can(user, "change", "partner"),
        "can_manage_groups": role_can(user, "change", "partner_group"),
        "list_query": query.urlencode(),
        "group_urls": GROUP_URLS,
    }


@login_required
def partner_list(request):
    return render_page_or_fragment(
        request, LIST_TEMPLATE, BROWSER_FRAGMENT, _list_context(request, request.GET)
    )


def _describe_moved_partners(moved: int, group) -> str:
    if group:
        return ngettext(
            "%(n)d partner moved to “%(group)s”.", "%(n)d partners moved to “%(group)s”.", moved
        ) % {"n": moved, "group": group.name}
    return ngettext(
        "%(n)d partner taken out of its group.", "%(n)d partners taken out of their groups.", moved
    ) % {"n": moved}


@require_POST
@login_required
def partner_move_to_group(request):
    """Move the ticked partners into a group; ids outside the user's scope are ignored."""
    return core_views.move_items_to_group(
        request,
        resource="partner",
        item_field="partner",
        form_class=MoveToGroupForm,
        visible_items=selectors.partner_list(user=request.user),
        move=lambda *, actor, items, group: services.partners_move_to_group(
            actor=actor, partners=items, group=group
        ),
        describe=_describe_moved_partners,
        list_context=_list_context,
        fragment=BROWSER_FRAGMENT,
        list_url="partners:partner_list",
        nothing_ticked=_("Tick the partners to move first."),
    )


# --- groups (beside the list) -------------------------------------------------------------------------------

_group_args = {"group_model": PartnerGroup, "list_url": "partners:partner_list", "resource": "partner_group"}
partner_group_create = partial(core_views.group_create, service=services.partner_group_create, **_group_args)
partner_group_rename = partial(core_views.group_rename, service=services.partner_group_rename, **_group_args)
partner_group_move = partial(core_views.group_move, service=services.partner_group_move, **_group_args)
partner_group_delete = partial(core_views.group_delete, service=services.partner_group_delete, **_group_args)


# --- one partner ----------------------------------------------------------------------------------------------


@login_required
def partner_create(request):
    ensure_role(request.user, "add", "partner")
    initial = {}
    if str(request.GET.get("group", "")).isdigit():
        initial["group"] = request.GET["group"]
    return form_page(
        request,
        PartnerForm(request.POST or None, actor=request.user, initial=initial),
        save=lambda data: services.partner_create(actor=request.user, data=data),
        template="partners/partner_form.html",
        context={"partner": None},
        success=lambda partner: _("Partner “%(name)s” created.") % {"name": partner.name},
        next_url=lambda partner: reverse("partners:partner_detail", args=[partner.pk]),
    )


@login_required
def partner_edit(request, pk: int):
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "change", "partner")
    return form_page(
        request,
        PartnerForm(request.POST or None, instance=partner, actor=request.user),
        save=lambda data: services.partner_update(actor=request.user, partner=partner, data=data),
        template="partners/partner_form.html",
        context={"partner": partner},
        success=lambda saved: _("Partner “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("partners:partner_detail", args=[saved.pk]),
        instance=partner,
    )


@login_required
def partner_delete(request, pk: int):
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "delete", "partner")
    if request.method == "POST":
        name = partner.name
        try:
            services.partner_delete(actor=request.user, partner=partner)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("partners:partner_detail", pk=pk)
        messages.success(request, _("Partner “%(name)s” deleted.") % {"name": name})
        return redirect("partners:partner_list")
    return render(request, "partners/partner_confirm_delete.html", {"partner": partner})


def _describe_duplicates(user, existing: list[Counterparty]) -> list[dict]:
    """The counterparties with the same tax id, each marked whether the user may open its partner."""
    visible = set(
        selectors.partner_list(user=user)
        .filter(pk__in={c.partner_id for c in existing})
        .values_list("pk", flat=True)
    )
    return [{"counterparty": c, "visible": c.partner_id in visible} for c in existing]


def _tab_context(request, partner: Partner, tab: str, **extra) -> dict:
    user = request.user
    context = {
        "partner": partner,
        "tab": tab,
        "tabs": TABS,
        "can_change": role_can(user, "change", "partner"),
        "can_delete": role_can(user, "delete", "partner"),
    }
    if tab == "counterparties":
        context["counterparties"] = partner.counterparties.all()
        context["can_add_counterparty"] = role_can(user, "add", "counterparty")
        context.setdefault("counterparty_form", CounterpartyForm())
    elif tab == "contacts":
        context["contacts"] = partner.contacts.all()
        context["can_add_contact"] = role_can(user, "add", "contact")
        context["can_change_contact"] = role_can(user, "change", "contact")
        context["can_delete_contact"] = role_can(user, "delete", "contact")
        context.setdefault("contact_form", ContactPersonForm())
    elif tab == "interactions":
        context.update(interaction_tabs.partner_interactions_context(request, partner))
    elif tab == "timeline":
        context.update(interaction_tabs.partner_timeline_context(request, partner))
    elif tab == "history":
        context["history"] = history_for(partner)
    context.update(extra)
    return context


def _render_tab(request, partner: Partner, tab: str, status: int = 200, **extra):
    context = _tab_context(request, partner, tab, **extra)
    return render_page_or_fragment(request, DETAIL_TEMPLATE, TABS_FRAGMENT, context, status=status)


def _tab_url(partner_pk: int, tab: str) -> str:
    return f"{reverse('partners:partner_detail', args=[partner_pk])}?tab={tab}"


def _error_status(request) -> int:
    """htmx fragments answer 400 with the errors (the page's htmx swaps 400s in); full pages 200."""
    return 400 if wants_fragment(request) else 200


@login_required
def partner_detail(request, pk: int):
    partner = _partner_or_404(request.user, pk)
    tab = request.GET.get("tab", "main")
    if tab not in dict(TABS):
        tab = "main"
    return _render_tab(request, partner, tab)
