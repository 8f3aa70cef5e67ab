"""Pages of partners, their counterparties and contact persons, partner groups, and individuals.

Every record is fetched through the user's scope (``selectors``): one outside it answers 404 exactly as a
missing one. Writes are POST-only and go through ``services``; a role without the right gets 403.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
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
from sdelka.core.forms import INDENT, add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment, wants_fragment
from sdelka.core.tree import flatten_tree
from sdelka.core.views import apply_sort, ensure_role, paginate, selected_ids
from sdelka.partners import selectors, services
from sdelka.partners.filters import IndividualFilter, PartnerFilter
from sdelka.partners.forms import (
    ContactPersonForm,
    CounterpartyForm,
    IndividualForm,
    MoveToGroupForm,
    PartnerForm,
)
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup

PARTNER_SORTS = {
    "name": ("name",),
    "manager": ("manager__last_name", "manager__first_name", "manager__username"),
    "region": ("region",),
    "created": ("created_at",),
}
INDIVIDUAL_SORTS = {"name": ("name",), "birthday": ("birthday",), "created": ("created_at",)}
TABS = (
    ("main", gettext_lazy("Main")),
    ("counterparties", gettext_lazy("Counterparties")),
    ("contacts", gettext_lazy("Contact persons")),
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


@require_POST
@login_required
def partner_move_to_group(request):
    """Move the ticked partners into a group; ids outside the user's scope are ignored."""
    ensure_role(request.user, "change", "partner")
    query = QueryDict(request.POST.get("list_query", ""))
    form = MoveToGroupForm(request.POST)
    ids = selected_ids(request.POST.getlist("partner"))
    status = 200
    if not ids:
        messages.warning(request, _("Tick the partners to move first."))
        status = 400
    elif not form.is_valid():
        messages.error(request, _("Choose a group from the list."))
        status = 400
    else:
        group = form.cleaned_data["group"]
        partners = selectors.partner_list(user=request.user).filter(pk__in=ids)
        moved = services.partners_move_to_group(actor=request.user, partners=partners, group=group)
        if group:
            text = ngettext(
                "%(n)d partner moved to “%(group)s”.", "%(n)d partners moved to “%(group)s”.", moved
            ) % {"n": moved, "group": group.name}
        else:
            text = ngettext(
                "%(n)d partner taken out of its group.", "%(n)d partners taken out of their groups.", moved
            ) % {"n": moved}
        messages.success(request, text)
    if wants_fragment(request):
        context = {**_list_context(request, query), "is_fragment": True}
        return render(request, BROWSER_FRAGMENT, context, status=status)
    return redirect(f"{reverse('partners:partner_list')}?{query.urlencode()}")


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
    form = PartnerForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partner “%(name)s” created.") % {"name": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@login_required
def partner_edit(request, pk: int):
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "change", "partner")
    form = PartnerForm(request.POST or None, instance=partner, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=request.user, partner=partner, data=form.service_data())
        except ValidationError as error:
            partner.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


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


# --- counterparties -------------------------------------------------------------------------------------------


def _counterparty_or_404(user, pk) -> Counterparty:
    try:
        return selectors.counterparty_get(user=user, pk=pk)
    except Counterparty.DoesNotExist as error:
        raise Http404 from error


@login_required
def counterparty_create(request, pk: int):
    """Add a counterparty on the partner's page; a tax id already on file asks to confirm first."""
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "add", "counterparty")
    if request.method != "POST":
        return _render_tab(request, partner, "counterparties", counterparty_form_open=True)
    form = CounterpartyForm(request.POST)
    duplicates = None
    if form.is_valid():
        try:
            counterparty = services.counterparty_create(
                actor=request.user,
                data={**form.service_data(), "partner": partner},
                allow_duplicate=form.cleaned_data["allow_duplicate"],
            )
        except services.DuplicateCounterparty as error:
            duplicates = _describe_duplicates(request.user, error.existing)
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Counterparty “%(name)s” added.") % {"name": counterparty.name})
            if wants_fragment(request):
                return _render_tab(request, partner, "counterparties")
            return redirect(_tab_url(partner.pk, "counterparties"))
    return _render_tab(
        request,
        partner,
        "counterparties",
        status=_error_status(request),
        counterparty_form=form,
        counterparty_form_open=True,
        duplicates=duplicates,
    )


@login_required
def counterparty_edit(request, pk: int):
    """The counterparty's own page: its form (read-only for roles that may not change it) and its history."""
    counterparty = _counterparty_or_404(request.user, pk)
    can_change = role_can(request.user, "change", "counterparty")
    if request.method == "POST":
        ensure_role(request.user, "change", "counterparty")
    form = CounterpartyForm(request.POST or None, instance=counterparty)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.counterparty_update(
                actor=request.user, counterparty=counterparty, data=form.service_data()
            )
        except ValidationError as error:
            counterparty.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Counterparty “%(name)s” saved.") % {"name": counterparty.name})
            return redirect(_tab_url(counterparty.partner_id, "counterparties"))
    context = {
        "form": form,
        "counterparty": counterparty,
        "partner": counterparty.partner,
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "counterparty"),
        "history": history_for(counterparty),
    }
    return render(request, "partners/counterparty_form.html", context)


@require_POST
@login_required
def counterparty_delete(request, pk: int):
    counterparty = _counterparty_or_404(request.user, pk)
    ensure_role(request.user, "delete", "counterparty")
    partner_pk, name = counterparty.partner_id, counterparty.name
    try:
        services.counterparty_delete(actor=request.user, counterparty=counterparty)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("partners:counterparty_edit", pk=pk)
    messages.success(request, _("Counterparty “%(name)s” deleted.") % {"name": name})
    return redirect(_tab_url(partner_pk, "counterparties"))


# --- contact persons ------------------------------------------------------------------------------------------


def _contact_or_404(user, pk) -> ContactPerson:
    try:
        return selectors.contact_person_get(user=user, pk=pk)
    except ContactPerson.DoesNotExist as error:
        raise Http404 from error


@login_required
def contact_create(request, pk: int):
    """Add a contact person inline on the partner's contacts tab."""
    partner = _partner_or_404(request.user, pk)
    ensure_role(request.user, "add", "contact")
    if request.method != "POST":
        return _render_tab(request, partner, "contacts")
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_person_create(
                actor=request.user, data={**form.service_data(), "partner": partner}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact person “%(name)s” added.") % {"name": contact.name})
            if wants_fragment(request):
                return _render_tab(request, partner, "contacts")
            return redirect(_tab_url(partner.pk, "contacts"))
    return _render_tab(request, partner, "contacts", status=_error_status(request), contact_form=form)


@login_required
def contact_edit(request, pk: int):
    contact = _contact_or_404(request.user, pk)
    can_change = role_can(request.user, "change", "contact")
    if request.method == "POST":
        ensure_role(request.user, "change", "contact")
    form = ContactPersonForm(request.POST or None, instance=contact)
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_update(actor=request.user, contact=contact, data=form.service_data())
        except ValidationError as error:
            contact.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact person “%(name)s” saved.") % {"name": contact.name})
            return redirect(_tab_url(contact.partner_id, "contacts"))
    context = {
        "form": form,
        "contact": contact,
        "partner": contact.partner,
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "contact"),
        "history": history_for(contact),
    }
    return render(request, "partners/contact_form.html", context)


@require_POST
@login_required
def contact_delete(request, pk: int):
    contact = _contact_or_404(request.user, pk)
    ensure_role(request.user, "delete", "contact")
    partner = contact.partner
    name = contact.name
    services.contact_person_delete(actor=request.user, contact=contact)
    messages.success(request, _("Contact person “%(name)s” deleted.") % {"name": name})
    if wants_fragment(request):
        return _render_tab(request, partner, "contacts")
    return redirect(_tab_url(partner.pk, "contacts"))


# --- individuals ------------------------------------------------------------------------------------------------


def _individual_or_404(user, pk) -> Individual:
    try:
        return selectors.individual_list(user=user).get(pk=pk)
    except Individual.DoesNotExist as error:
        raise Http404 from error


@login_required
def individual_list(request):
    filterset = IndividualFilter(request.GET, queryset=selectors.individual_list(user=request.user))
    individuals = filterset.qs
    search = request.GET.get("q", "").strip()
    if search:
        individuals = individuals.filter(
            Q(name__icontains=search)
            | Q(inn=search)
            | Q(phones__icontains=search)
            | Q(emails__icontains=search)
        )
    individuals, sort = apply_sort(individuals, request.GET.get("sort"), INDIVIDUAL_SORTS, "name")
    context = {
        "filter": filterset,
        "page": paginate(individuals, request.GET.get("page")),
        "sort": sort,
        "search": search,
        "can_add": role_can(request.user, "add", "individual"),
    }
    return render(request, "partners/individual_list.html", context)


@login_required
def individual_create(request):
    ensure_role(request.user, "add", "individual")
    form = IndividualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            individual = services.individual_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Individual “%(name)s” created.") % {"name": individual.name})
            return redirect("partners:individual_detail", pk=individual.pk)
    return render(request, "partners/individual_form.html", {"form": form, "individual": None})


@login_required
def individual_edit(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    ensure_role(request.user, "change", "individual")
    form = IndividualForm(request.POST or None, instance=individual)
    if request.method == "POST" and form.is_valid():
        try:
            services.individual_update(actor=request.user, individual=individual, data=form.service_data())
        except ValidationError as error:
            individual.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("Individual “%(name)s” saved.") % {"name": individual.name})
            return redirect("partners:individual_detail", pk=individual.pk)
    return render(request, "partners/individual_form.html", {"form": form, "individual": individual})


@login_required
def individual_detail(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    context = {
        "individual": individual,
        "history": history_for(individual),
        "can_change": role_can(request.user, "change", "individual"),
        "can_delete": role_can(request.user, "delete", "individual"),
    }
    return render(request, "partners/individual_detail.html", context)


@login_required
def individual_delete(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    ensure_role(request.user, "delete", "individual")
    if request.method == "POST":
        name = individual.name
        services.individual_delete(actor=request.user, individual=individual)
        messages.success(request, _("Individual “%(name)s” deleted.") % {"name": name})
        return redirect("partners:individual_list")
    return render(request, "partners/individual_confirm_delete.html", {"individual": individual})
