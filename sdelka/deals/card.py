"""The deal card: one deal with its tabs, and the actions done in place on them (htmx).

Every action reads the deal through the user's scope (a foreign deal answers 404), checks the role (403),
calls a service and answers the refreshed tabs: 200, or 400 with the errors beside the fields (the page's
htmx swaps 400s in). Without htmx a success redirects back to the tab and an error renders the whole page.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.catalog.models import Product
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment, wants_fragment
from sdelka.core.views import ensure_role
from sdelka.deals import selectors, services
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.forms import (
    ExpenseForm,
    LineValuesForm,
    LostForm,
    MoveToStageForm,
    ParticipantForm,
    ProductLineForm,
)
from sdelka.deals.models import Deal, DealParticipant
from sdelka.documents import selectors as document_selectors
from sdelka.documents import services as document_services
from sdelka.documents.choices import DocumentType
from sdelka.documents.models import DealExpense
from sdelka.interactions import tabs as interaction_tabs

TABS = (
    ("main", gettext_lazy("Main")),
    ("goods", pgettext_lazy("deal tab", "Goods")),
    ("participants", gettext_lazy("Deal environment")),
    ("documents", gettext_lazy("Documents")),
    ("expenses", gettext_lazy("Expenses")),
    ("finance", gettext_lazy("Financial result")),
    ("demand", gettext_lazy("Primary demand")),
    ("tasks", gettext_lazy("Tasks")),
    ("timeline", gettext_lazy("Timeline")),
    ("history", gettext_lazy("History")),
)
DETAIL_TEMPLATE = "deals/deal_detail.html"
TABS_FRAGMENT = "deals/partials/_deal_tabs.html"
# The documents pages name a type by these slugs in their URLs.
DOCUMENT_SLUGS = {
    DocumentType.QUOTE: "quotes",
    DocumentType.SALES_ORDER: "sales-orders",
    DocumentType.SALE: "sales",
    DocumentType.PURCHASE_ORDER: "purchase-orders",
}
# The documents a deal makes from its goods: a POST makes them at once; a supplier order needs a supplier first.
DOCUMENT_MAKERS = (
    (DocumentType.QUOTE, gettext_lazy("Make a commercial proposal"), "post"),
    (DocumentType.SALES_ORDER, gettext_lazy("Make a customer order"), "post"),
    (DocumentType.SALE, gettext_lazy("Make a sale"), "post"),
    (DocumentType.PURCHASE_ORDER, gettext_lazy("Supplier order"), "get"),
)
ZERO = Decimal("0.00")


def deal_or_404(user, pk) -> Deal:
    try:
        return selectors.deal_get(user=user, pk=pk)
    except Deal.DoesNotExist as error:
        raise Http404 from error


def url_or_none(name: str, args: list) -> str | None:
    """The URL, or None while the page it names does not exist (the documents pages come separately)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def tab_url(pk: int, tab: str = "main") -> str:
    return f"{reverse('deals:deal_detail', args=[pk])}?tab={tab}"


def conflict_message(conflict: services.DealVersionConflict) -> str:
    when = timezone.localtime(conflict.changed_at) if conflict.changed_at else None
    return _("The deal was changed by %(user)s at %(when)s. Your changes were not saved.") % {
        "user": conflict.changed_by,
        "when": formats.date_format(when, "SHORT_DATETIME_FORMAT") if when else "—",
    }


# --- what each tab shows --------------------------------------------------------------------------------------


def _demand_rows(deal: Deal, products) -> list[dict]:
    """Per product: what was first asked for, the current goods of interest and what was sold."""
    rows: dict[int, dict] = {}

    def row(product_id, product=None):
        entry = rows.setdefault(
            product_id,
            {
                "product": product,
                "asked_quantity": ZERO,
                "asked_amount": ZERO,
                "quantity": ZERO,
                "amount": ZERO,
                "sold_quantity": ZERO,
                "sold_amount": ZERO,
            },
        )
        entry["product"] = entry["product"] or product
        return entry

    for line in deal.primary_demand.select_related("product").order_by("id"):
        entry = row(line.product_id, line.product)
        entry["asked_quantity"] += line.quantity
        entry["asked_amount"] += line.amount
    for line in products:
        entry = row(line.product_id, line.product)
        entry["quantity"] += line.quantity
        entry["amount"] += line.amount
    for product_id, sold in document_selectors.deal_sold_by_product(deal=deal).items():
        entry = row(product_id)
        entry["sold_quantity"] = sold["quantity"]
        entry["sold_amount"] = sold["amount"]
    unnamed = [product_id for product_id, entry in rows.items() if entry["product"] is None]
    if unnamed:
        for product in Product.objects.filter(pk__in=unnamed):
            rows[product.pk]["product"] = product
    return list(rows.values())


def _goods_rows(deal: Deal, products, bound: dict | None = None) -> list[dict]:
    """One row per line, with the small form that changes its quantity and price (``bound``: {id: form})."""
    bound = bound or {}
    return [
        {
            "line": line,
            "form": bound.get(line.pk)
            or LineValuesForm(
                html_form=f"goods-line-{line.pk}",
                auto_id=f"id_line{line.pk}_%s",
                initial={"quantity": line.quantity, "price": line.price},
            ),
        }
        for line in products
    ]


def _documents_context(request, deal: Deal) -> dict:
    user = request.user
    rows = []
    for document in document_selectors.deal_documents(deal=deal, user=user):
        slug = DOCUMENT_SLUGS[document.document_type]
        rows.append(
            {
                "document": document,
                "type": DocumentType(document.document_type).label,
                "url": url_or_none("documents:document_detail", [slug, document.pk]),
            }
        )
    makers = []
    # A closed or lost deal makes no documents (the services refuse it too).
    if not deal.closed and deal.status != DealStatus.LOST:
        for document_type, label, method in DOCUMENT_MAKERS:
            url = url_or_none("documents:document_from_deal", [deal.pk, DOCUMENT_SLUGS[document_type]])
            if url and role_can(
                user, "add", document_services.resource_of(document_selectors.DOCUMENT_MODELS[document_type])
            ):
                makers.append({"label": label, "url": url, "method": method})
    return {"documents": rows, "document_makers": makers}


def _expenses_context(request, deal: Deal) -> dict:
    expenses = list(
        document_selectors.expense_list(user=request.user).filter(deal=deal).order_by("-date", "-id")
    )
    return {
        "expenses": expenses,
        "expenses_total": sum((expense.amount for expense in expenses), ZERO),
        "can_add_expense": role_can(request.user, "add", "deal_expense"),
        "can_delete_expense": role_can(request.user, "delete", "deal_expense"),
    }


def _finance_context(request, deal: Deal) -> dict:
    sales = document_selectors.deal_posted_sales(deal=deal)
    for sale in sales:
        sale["url"] = url_or_none(
            "documents:document_detail", [DOCUMENT_SLUGS[DocumentType.SALE], sale["sale_id"]]
        )
    return {
        "result": document_selectors.deal_financial_result(deal=deal),
        "posted_sales": sales,
    }


def tab_context(request, deal: Deal, tab: str, **extra) -> dict:
    user = request.user
    can_change = role_can(user, "change", "deal")
    stages = list(deal.kind.stages.order_by("order", "id"))
    current_index = next((i for i, stage in enumerate(stages) if stage.pk == deal.stage_id), -1)
    in_progress = deal.status == DealStatus.IN_PROGRESS and not deal.closed
    context = {
        "deal": deal,
        "tab": tab,
        "tabs": TABS,
        "can_change": can_change,
        "stages": stages,
        "current_index": current_index,
        "next_stage": stages[current_index + 1] if 0 <= current_index < len(stages) - 1 else None,
        "is_manual": deal.kind.process_type == ProcessType.MANUAL,
        "is_typical": deal.kind.process_type == ProcessType.TYPICAL,
        "in_progress": in_progress,
        "base_currency": settings.SDELKA_BASE_CURRENCY,
    }
    if tab == "main":
        context["move_form"] = MoveToStageForm(deal=deal, initial={"version": deal.version})
        context["lost_form"] = LostForm(actor=user, initial={"version": deal.version})
    elif tab == "goods":
        products = list(selectors.deal_products(deal=deal))
        context["goods_rows"] = _goods_rows(deal, products, extra.pop("bound_lines", None))
        context["goods_total"] = sum((line.amount for line in products), ZERO)
        if can_change:
            context["line_form"] = extra.pop("line_form", None) or ProductLineForm(actor=user)
    elif tab == "participants":
        context["participants"] = list(selectors.deal_participants(deal=deal))
        if can_change:
            context["participant_form"] = extra.pop("participant_form", None) or ParticipantForm(
                actor=user, deal=deal
            )
    elif tab == "documents":
        context.update(_documents_context(request, deal))
    elif tab == "expenses":
        context.update(_expenses_context(request, deal))
        if context["can_add_expense"]:
            context["expense_form"] = extra.pop("expense_form", None) or ExpenseForm()
    elif tab == "finance":
        context.update(_finance_context(request, deal))
    elif tab == "demand":
        products = list(selectors.deal_products(deal=deal))
        context["demand_rows"] = _demand_rows(deal, products)
        recorded = deal.primary_demand.exists()
        context["demand_recorded"] = recorded
        context["can_record_demand"] = can_change and deal.kind.record_primary_demand and not recorded
    elif tab == "tasks":
        from sdelka.activities.selectors.tasks import record_tasks

        context["tasks"] = list(record_tasks(user=user, record=deal))
        context["can_add_task"] = role_can(user, "add", "task")
    elif tab == "timeline":
        context.update(interaction_tabs.deal_timeline_context(request, deal))
    elif tab == "history":
        context["events"] = selectors.deal_events(deal=deal)
        context["history"] = history_for(deal)
    context.update(extra)
    return context


def render_tab(request, pk: int, tab: str, status: int = 200, **extra):
    """The deal's tabs read afresh (an action may have changed the deal's version), as a page or a fragment."""
    deal = deal_or_404(request.user, pk)
    return render_page_or_fragment(
        request, DETAIL_TEMPLATE, TABS_FRAGMENT, tab_context(request, deal, tab, **extra), status=status
    )


def _done(request, pk: int, tab: str, success: str):
    messages.success(request, success)
    if wants_fragment(request):
        return render_tab(request, pk, tab)
    return redirect(tab_url(pk, tab))


def _error_status(request) -> int:
    """htmx fragments answer 400 with the errors (the page's htmx swaps 400s in); full pages 200."""
    return 400 if wants_fragment(request) else 200


@login_required
def deal_detail(request, pk: int):
    deal = deal_or_404(request.user, pk)
    tab = request.GET.get("tab", "main")
    if tab not in dict(TABS):
        tab = "main"
    return render_page_or_fragment(request, DETAIL_TEMPLATE, TABS_FRAGMENT, tab_context(request, deal, tab))


# --- goods of interest ----------------------------------------------------------------------------------------


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@require_POST
@login_required
def deal_products(request, pk: int):
    """Add a line to the goods of interest, change one line's quantity and price, or remove one line.

    The service replaces the whole list from the version the user read; a stale version is a conflict.
    """
    deal = deal_or_404(request.user, pk)
    ensure_role(request.user, "change", "deal")
    lines = [
        {"id": line.pk, "product": line.product, "quantity": line.quantity, "price": line.price}
        for line in selectors.deal_products(deal=deal)
    ]
    remove, changed = request.POST.get("remove", ""), request.POST.get("line", "")
    line_form, bound_lines = None, {}
    if remove.isdigit():
        lines = [line for line in lines if line["id"] != int(remove)]
        form, success = None, _("The line is removed from the goods of interest.")
    elif changed.isdigit():
        line_id = int(changed)
        form = LineValuesForm(request.POST, html_form=f"goods-line-{line_id}", auto_id=f"id_line{line_id}_%s")
        bound_lines[line_id] = form
        if not any(line["id"] == line_id for line in lines):
            raise Http404
        if form.is_valid():
            for line in lines:
                if line["id"] == line_id:
                    line.update(quantity=form.cleaned_data["quantity"], price=form.cleaned_data["price"])
        success = _("The line is saved.")
    else:
        form = line_form = ProductLineForm(request.POST, actor=request.user)
        if form.is_valid():
            lines.append(form.cleaned_data)
        success = _("The line is added to the goods of interest.")
    conflict = None
    if form is None or form.is_valid():
        try:
            services.deal_set_products(actor=request.user, deal=deal, lines=lines, version=_version(request))
        except services.DealVersionConflict as error:
            conflict = conflict_message(error)
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
            else:
                add_service_errors(form, error)
        else:
            return _done(request, pk, "goods", success)
    return render_tab(
        request,
        pk,
        "goods",
        status=_error_status(request),
        goods_conflict=conflict,
        line_form=line_form if line_form is not None and line_form.errors else None,
        bound_lines={key: value for key, value in bound_lines.items() if value.errors},
    )


# --- the deal's environment ----------------------------------------------------------------------------------


@require_POST
@login_required
def deal_participant_add(request, pk: int):
    deal = deal_or_404(request.user, pk)
    ensure_role(request.user, "change", "deal")
    form = ParticipantForm(request.POST, actor=request.user, deal=deal)
    if form.is_valid():
        try:
            participant = services.deal_participant_add(
                actor=request.user,
                deal=deal,
                partner=form.cleaned_data["partner"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success = _("%(partner)s takes part in the deal.") % {"partner": participant.partner}
            return _done(request, pk, "participants", success)
    return render_tab(request, pk, "participants", status=_error_status(request), participant_form=form)


@require_POST
@login_required
def deal_participant_remove(request, pk: int, participant_pk: int):
    deal = deal_or_404(request.user, pk)
    ensure_role(request.user, "change", "deal")
    try:
        participant = deal.participants.select_related("partner").get(pk=participant_pk)
    except DealParticipant.DoesNotExist as error:
        raise Http404 from error
    try:
        services.deal_participant_remove(actor=request.user, participant=participant)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render_tab(request, pk, "participants", status=_error_status(request))
    success = _("%(partner)s no longer takes part in the deal.") % {"partner": participant.partner}
    return _done(request, pk, "participants", success)


# --- expenses -------------------------------------------------------------------------------------------------


@require_POST
@login_required
def deal_expense_add(request, pk: int):
    deal = deal_or_404(request.user, pk)
    ensure_role(request.user, "add", "deal_expense")
    form = ExpenseForm(request.POST)
    if form.is_valid():
        try:
            expense = document_services.expense_create(
                actor=request.user, data={**form.cleaned_data, "deal": deal}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success = _("The expense “%(expense)s” is added.") % {"expense": expense.get_kind_display()}
            return _done(request, pk, "expenses", success)
    return render_tab(request, pk, "expenses", status=_error_status(request), expense_form=form)


@require_POST
@login_required
def deal_expense_delete(request, pk: int, expense_pk: int):
    deal = deal_or_404(request.user, pk)
    ensure_role(request.user, "delete", "deal_expense")
    try:
        expense = document_selectors.expense_list(user=request.user).filter(deal=deal).get(pk=expense_pk)
    except DealExpense.DoesNotExist as error:
        raise Http404 from error
    kind = expense.get_kind_display()
    try:
        document_services.expense_delete(actor=request.user, expense=expense)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render_tab(request, pk, "expenses", status=_error_status(request))
    return _done(request, pk, "expenses", _("The expense “%(expense)s” is deleted.") % {"expense": kind})
