"""Pages of the documents of deals: quotes, customer orders, sales and supplier orders.

One set of views serves the four types; the URL's ``doc_type`` (``quotes``, ``sales-orders``, ``sales``,
``purchase-orders``) picks the model. Every view checks the role for the type's resource and reads the record
through ``sdelka.documents.selectors``, so a document outside the user's scope answers 404, for a POST too.
Writes go through ``sdelka.documents.services``; a refusal becomes a message next to what it is about.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.models import User
from sdelka.accounts.permissions import role_can
from sdelka.accounts.selectors import covered_user_ids
from sdelka.catalog.choices import vat_percent
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment, wants_fragment
from sdelka.core.views import apply_sort, ensure_role, paginate
from sdelka.deals import selectors as deal_selectors
from sdelka.deals.models import Deal
from sdelka.documents import selectors, services
from sdelka.documents.amounts import HUNDRED, to_kopecks
from sdelka.documents.forms import DocumentLineForm, DocumentListFilterForm, SupplierForm, document_form_class
from sdelka.documents.models import Document, PurchaseOrder, Quote, Sale, SalesOrder
from sdelka.documents.services.documents import DEAD_ENDS, EXTRA_FIELDS

#: the URL's name of each type, in the order of the chain (and of the tabs above the lists)
DOC_TYPES: dict[str, type[Document]] = {
    "quotes": Quote,
    "sales-orders": SalesOrder,
    "sales": Sale,
    "purchase-orders": PurchaseOrder,
}
SLUGS = {model: slug for slug, model in DOC_TYPES.items()}
NEW_LABELS = {
    "quotes": gettext_lazy("New commercial proposal"),
    "sales-orders": gettext_lazy("New customer order"),
    "sales": gettext_lazy("New sale"),
    "purchase-orders": gettext_lazy("New supplier order"),
}
#: the button that moves a document to a status
STATUS_ACTIONS = {
    "sent": gettext_lazy("Mark as sent"),
    "accepted": gettext_lazy("Mark as accepted"),
    "rejected": gettext_lazy("Mark as rejected"),
    "expired": gettext_lazy("Mark as expired"),
    "confirmed": pgettext_lazy("document action", "Confirm"),
    "fulfilled": gettext_lazy("Mark as fulfilled"),
    "received": gettext_lazy("Mark as received"),
    "cancelled": pgettext_lazy("document action", "Cancel"),
    "draft": gettext_lazy("Back to draft"),
}
#: what can be made from a document: source model → [(target type, button, service)]
MAKE_FROM = {
    Quote: [
        ("sales-orders", gettext_lazy("Make a customer order"), services.sales_order_from_quote),
        ("sales", gettext_lazy("Make a sale"), services.sale_from_quote),
    ],
    SalesOrder: [
        ("sales", gettext_lazy("Make a sale"), services.sale_from_sales_order),
        ("purchase-orders", gettext_lazy("Make a supplier order"), services.purchase_order_from_sales_order),
    ],
}
#: documents made straight from a deal
FROM_DEAL = {
    "quotes": services.quote_from_deal,
    "sales-orders": services.sales_order_from_deal,
    "sales": services.sale_from_deal,
    "purchase-orders": services.purchase_order_from_deal,
}
DOCUMENT_SORTS = {
    "number": ("year", "number"),
    "date": ("date", "id"),
    "partner": ("partner__name",),
    "amount": ("amount_gross",),
    "status": ("status",),
}
TABS = (("main", gettext_lazy("Main")), ("history", gettext_lazy("History")))
DETAIL_TEMPLATE = "documents/document_detail.html"
TABS_FRAGMENT = "documents/partials/_document_tabs.html"
LINES_FRAGMENT = "documents/partials/_document_lines.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _model_of(doc_type: str) -> type[Document]:
    try:
        return DOC_TYPES[doc_type]
    except KeyError as error:
        raise Http404 from error


def _document_or_404(user, model: type[Document], pk) -> Document:
    try:
        return selectors.document_get(model, user=user, pk=pk)
    except model.DoesNotExist as error:
        raise Http404 from error


def _deal_or_404(user, pk) -> Deal:
    try:
        return deal_selectors.deal_get(user=user, pk=pk)
    except Deal.DoesNotExist as error:
        raise Http404 from error


def document_url(document: Document) -> str:
    return reverse("documents:document_detail", args=[SLUGS[type(document)], document.pk])


def _file_name(document: Document, extension: str) -> str:
    """ "quote-2026-000001.xlsx": the type and the number, safe in any file system."""
    return f"{document.document_type.replace('_', '-')}-{document.number}.{extension}"


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _extra_date_field(model: type[Document]) -> str | None:
    """The date a type adds to the common header (valid until, shipment, delivery), shown in its list."""
    extra = EXTRA_FIELDS[model]
    return extra[0] if extra else None


# --- the list -----------------------------------------------------------------------------------------------


def _filter_managers(user):
    covered = covered_user_ids(user)
    users = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
    return users.order_by("last_name", "first_name", "username")


def _apply_filters(documents, cleaned: dict):
    if cleaned.get("q"):
        text = cleaned["q"].strip()
        documents = documents.filter(Q(number__icontains=text) | Q(partner__name__icontains=text))
    if cleaned.get("status"):
        documents = documents.filter(status=cleaned["status"])
    if cleaned.get("partner"):
        documents = documents.filter(partner__name__icontains=cleaned["partner"].strip())
    if cleaned.get("manager"):
        documents = documents.filter(manager=cleaned["manager"])
    if cleaned.get("deal"):
        text = cleaned["deal"].strip()
        documents = documents.filter(Q(deal__number__icontains=text) | Q(deal__name__icontains=text))
    if cleaned.get("date_from"):
        documents = documents.filter(date__gte=cleaned["date_from"])
    if cleaned.get("date_to"):
        documents = documents.filter(date__lte=cleaned["date_to"])
    return documents


@login_required
def document_list(request, doc_type: str):
    model = _model_of(doc_type)
    user = request.user
    ensure_role(user, "view", services.resource_of(model))
    query = request.GET
    managers = _filter_managers(user)
    form = DocumentListFilterForm(query, model=model, managers=managers)
    cleaned = form.cleaned_data if form.is_valid() else {}
    documents = _apply_filters(selectors.document_list(model, user=user), cleaned)
    # The sums of the whole filtered list, per currency: one grouped query, whatever the page.
    totals = list(
        documents.order_by().values("currency").annotate(total=Sum("amount_gross")).order_by("currency")
    )
    documents, sort = apply_sort(documents, query.get("sort"), DOCUMENT_SORTS, "-date")
    extra_date = _extra_date_field(model)
    context = {
        "doc_type": doc_type,
        "model": model,
        "title": capfirst(model._meta.verbose_name_plural),
        "query": query,
        "page": paginate(documents, query.get("page")),
        "sort": sort,
        "totals": totals,
        "statuses": model._meta.get_field("status").choices,
        "managers": managers,
        "extra_date": extra_date,
        "extra_date_label": capfirst(model._meta.get_field(extra_date).verbose_name) if extra_date else "",
        "can_add": role_can(user, "add", services.resource_of(model)),
        "new_label": NEW_LABELS[doc_type],
    }
    return render(request, "documents/document_list.html", context)


@login_required
def document_index(request):
    """The Documents section lands on the first link of the chain."""
    return redirect("documents:document_list", doc_type="quotes")


# --- one document ---------------------------------------------------------------------------------------------


def _related(request, document: Document) -> tuple[list[dict], list[dict]]:
    """The documents this one was made from, and those made from it (only those the user may see)."""
    sources: list[Document] = []
    for field in ("quote", "sales_order"):
        if getattr(document, f"{field}_id", None):
            sources.append(getattr(document, field))
    made: list[Document] = []
    links = {
        Quote: ((SalesOrder, "quote"), (Sale, "quote")),
        SalesOrder: ((Sale, "sales_order"), (PurchaseOrder, "sales_order")),
    }
    for model, field in links.get(type(document), ()):
        made.extend(selectors.document_list(model, user=request.user).filter(**{field: document}))

    def describe(items):
        return [{"document": item, "url": document_url(item)} for item in items]

    return describe(sources), describe(sorted(made, key=lambda item: (item.date, item.created_at)))


def _line_form_initial(line) -> dict:
    return {
        "product": line.product_id,
        "quantity": line.quantity,
        "price": line.price,
        "discount_percent": line.discount_percent,
        "vat_rate": line.vat_rate,
    }


def _lines_context(request, document: Document, *, edit_form=None, edit_line=None, add_form=None) -> dict:
    """What the lines table needs; a form with errors is kept on the row it belongs to."""
    user = request.user
    can_edit = document.is_draft and role_can(user, "change", services.resource_of(document))
    lines = list(selectors.document_lines(document))
    if edit_form is None and can_edit and str(request.GET.get("edit", "")).isdigit():
        edit_line = next((line for line in lines if line.pk == int(request.GET["edit"])), None)
        if edit_line is not None:
            edit_form = DocumentLineForm(prefix="edit", actor=user, initial=_line_form_initial(edit_line))
    if add_form is None and can_edit:
        add_form = DocumentLineForm(prefix="add", actor=user)
    return {
        "document": document,
        "doc_type": SLUGS[type(document)],
        "lines": lines,
        "can_edit_lines": can_edit,
        "edit_form": edit_form,
        "edit_line_id": edit_line.pk if edit_line is not None else None,
        "add_form": add_form,
    }


def _detail_context(request, document: Document, tab: str) -> dict:
    user = request.user
    model = type(document)
    resource = services.resource_of(document)
    can_change = role_can(user, "change", resource)
    sources, made = _related(request, document)
    status_actions = []
    if can_change and model is not Sale:
        choices = model._meta.get_field("status").choices
        allowed = services.TRANSITIONS[model].get(document.status, set())
        status_actions = [
            {"status": value, "label": STATUS_ACTIONS.get(value, label)}
            for value, label in choices
            if value in allowed
        ]
    make_actions = []
    if document.status not in DEAD_ENDS:
        for target, label, _service in MAKE_FROM.get(model, ()):
            if role_can(user, "add", services.resource_of(DOC_TYPES[target])):
                make_actions.append({"target": target, "label": label})
    extra = [
        {"label": capfirst(model._meta.get_field(name).verbose_name), "value": getattr(document, name)}
        for name in EXTRA_FIELDS[model]
    ]
    context = {
        "document": document,
        "doc_type": SLUGS[model],
        "type_title": capfirst(model._meta.verbose_name_plural),
        "tab": tab,
        "tabs": TABS,
        "extra_dates": extra,
        "sources": sources,
        "made": made,
        "can_change": can_change and document.is_draft,
        "can_delete": document.is_draft and role_can(user, "delete", resource),
        "status_actions": status_actions,
        "can_post": model is Sale and can_change and document.status == "draft",
        "can_unpost": model is Sale and can_change and document.status == "posted",
        "make_actions": make_actions,
        "base_currency": settings.SDELKA_BASE_CURRENCY,
    }
    if tab == "history":
        context["history"] = history_for(document)
    else:
        context.update(_lines_context(request, document))
    return context


@login_required
def document_detail(request, doc_type: str, pk: int):
    model = _model_of(doc_type)
    ensure_role(request.user, "view", services.resource_of(model))
    document = _document_or_404(request.user, model, pk)
    tab = request.GET.get("tab", "main")
    if tab not in dict(TABS):
        tab = "main"
    return render_page_or_fragment(
        request, DETAIL_TEMPLATE, TABS_FRAGMENT, _detail_context(request, document, tab)
    )


# --- the header: create, edit, delete -----------------------------------------------------------------------


@login_required
def document_create(request, doc_type: str):
    model = _model_of(doc_type)
    ensure_role(request.user, "add", services.resource_of(model))
    initial = {
        name: request.GET[name] for name in ("partner", "deal") if str(request.GET.get(name, "")).isdigit()
    }
    form = document_form_class(model)(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(model, actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(document)s created; add its lines.") % {"document": document})
            return redirect(document_url(document))
    context = {"form": form, "document": None, "doc_type": doc_type, "title": NEW_LABELS[doc_type]}
    context["type_title"] = capfirst(model._meta.verbose_name_plural)
    return render(request, "documents/document_form.html", context)


@login_required
def document_edit(request, doc_type: str, pk: int):
    model = _model_of(doc_type)
    document = _document_or_404(request.user, model, pk)
    ensure_role(request.user, "change", services.resource_of(model))
    if not document.is_draft:
        messages.error(
            request,
            _("Only a draft can be changed; this document is “%(status)s”.")
            % {"status": document.get_status_display()},
        )
        return redirect(document_url(document))
    form = document_form_class(model)(request.POST or None, instance=document, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document, actor=request.user, data=form.service_data())
        except ValidationError as error:
            document.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(document)s saved.") % {"document": document})
            return redirect(document_url(document))
    context = {
        "form": form,
        "document": document,
        "doc_type": doc_type,
        "title": _("Edit %(document)s") % {"document": document},
        "type_title": capfirst(model._meta.verbose_name_plural),
    }
    return render(request, "documents/document_form.html", context)


@login_required
def document_delete(request, doc_type: str, pk: int):
    model = _model_of(doc_type)
    document = _document_or_404(request.user, model, pk)
    ensure_role(request.user, "delete", services.resource_of(model))
    if request.method == "POST":
        name = str(document)
        try:
            services.document_delete(document, actor=request.user)
        except ValidationError as error:
            _report(request, error)
            return redirect(document_url(document))
        messages.success(request, _("%(document)s deleted.") % {"document": name})
        return redirect("documents:document_list", doc_type=doc_type)
    context = {
        "document": document,
        "doc_type": doc_type,
        "type_title": capfirst(model._meta.verbose_name_plural),
    }
    return render(request, "documents/document_confirm_delete.html", context)


# --- lines ----------------------------------------------------------------------------------------------------


def _default_price(document: Document, product, vat_rate: str) -> Decimal:
    """The product's price in the document's terms: its list price (with VAT) for a client, its cost price
    (without VAT) for a supplier order, converted when the document counts VAT the other way."""
    rate = vat_percent(vat_rate)
    if isinstance(document, PurchaseOrder):
        price = product.cost_price
        return to_kopecks(price * (HUNDRED + rate) / HUNDRED) if document.prices_include_vat else price
    price = product.price
    return price if document.prices_include_vat else to_kopecks(price * HUNDRED / (HUNDRED + rate))


def _line_data(document: Document, cleaned: dict) -> dict:
    product = cleaned["product"]
    vat_rate = cleaned.get("vat_rate") or product.vat_rate
    price = cleaned.get("price")
    return {
        "product": product,
        "quantity": cleaned["quantity"],
        "price": _default_price(document, product, vat_rate) if price is None else price,
        "discount_percent": cleaned.get("discount_percent") or Decimal("0"),
        "vat_rate": vat_rate,
    }


def _lines_response(request, document: Document, *, status: int = 200, **forms):
    if wants_fragment(request):
        context = {**_lines_context(request, document, **forms), "is_fragment": True}
        return render(request, LINES_FRAGMENT, context, status=status)
    if status != 200:
        # Without htmx the whole page comes back, with the form and its messages where they were.
        context = {**_detail_context(request, document, "main"), **_lines_context(request, document, **forms)}
        return render(request, DETAIL_TEMPLATE, {**context, "is_fragment": False}, status=status)
    return redirect(document_url(document))


@login_required
def document_lines(request, doc_type: str, pk: int):
    """Add a line, change one, or remove one; the service replaces the whole list and recomputes the totals.

    GET (``?edit=<line>``) answers the table with that line open for editing.
    """
    model = _model_of(doc_type)
    document = _document_or_404(request.user, model, pk)
    if request.method != "POST":
        if wants_fragment(request):
            return render(request, LINES_FRAGMENT, {**_lines_context(request, document), "is_fragment": True})
        edit = request.GET.get("edit", "")
        return redirect(f"{document_url(document)}?edit={edit}" if edit.isdigit() else document_url(document))
    ensure_role(request.user, "change", services.resource_of(model))
    current = list(selectors.document_lines(document))
    lines = [
        {
            "id": line.pk,
            "product": line.product,
            "quantity": line.quantity,
            "price": line.price,
            "discount_percent": line.discount_percent,
            "vat_rate": line.vat_rate,
        }
        for line in current
    ]
    remove = request.POST.get("remove", "")
    line_id = request.POST.get("line", "")
    forms: dict = {}
    if remove.isdigit():
        kept = [line for line in lines if line["id"] != int(remove)]
        if len(kept) == len(lines):
            messages.error(
                request, _("The line was not found: the document may have been changed meanwhile.")
            )
            return _lines_response(request, document, status=400)
        lines = kept
        success = _("The line is removed.")
    else:
        editing = line_id.isdigit()
        prefix = "edit" if editing else "add"
        form = DocumentLineForm(request.POST, prefix=prefix, actor=request.user)
        edit_line = next((line for line in current if editing and line.pk == int(line_id)), None)
        if editing and edit_line is None:
            messages.error(
                request, _("The line was not found: the document may have been changed meanwhile.")
            )
            return _lines_response(request, document, status=400)
        forms = {"edit_form": form, "edit_line": edit_line} if editing else {"add_form": form}
        if not form.is_valid():
            return _lines_response(request, document, status=400, **forms)
        row = _line_data(document, form.cleaned_data)
        if editing:
            lines = [row if line["id"] == edit_line.pk else line for line in lines]
            success = _("The line is saved.")
        else:
            lines.append(row)
            success = _("The line is added.")
    try:
        services.document_set_lines(document, actor=request.user, lines=lines)
    except ValidationError as error:
        document.refresh_from_db()
        target = forms.get("edit_form") or forms.get("add_form")
        if target is not None:
            add_service_errors(target, error)
        else:
            _report(request, error)
        return _lines_response(request, document, status=400, **forms)
    messages.success(request, success)
    return _lines_response(request, document)


# --- status, posting, made from this ------------------------------------------------------------------------


@require_POST
@login_required
def document_set_status(request, doc_type: str, pk: int):
    model = _model_of(doc_type)
    document = _document_or_404(request.user, model, pk)
    ensure_role(request.user, "change", services.resource_of(model))
    try:
        services.document_set_status(document, actor=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request,
            _("%(document)s is now “%(status)s”.")
            % {
                "document": document,
                "status": document.get_status_display(),
            },
        )
    return redirect(document_url(document))


def _sale_action(request, pk: int, service, success: str):
    sale = _document_or_404(request.user, Sale, pk)
    ensure_role(request.user, "change", "sale")
    try:
        service(sale, actor=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, success % {"document": sale})
    return redirect(document_url(sale))


@require_POST
@login_required
def sale_post(request, pk: int):
    return _sale_action(request, pk, services.sale_post, _("%(document)s is posted."))


@require_POST
@login_required
def sale_unpost(request, pk: int):
    return _sale_action(request, pk, services.sale_unpost, _("The posting of %(document)s is cancelled."))


def _supplier_page(request, form, *, source, back_url: str, action_url: str, status: int = 200):
    context = {"form": form, "source": source, "back_url": back_url, "action_url": action_url}
    return render(request, "documents/purchase_order_supplier.html", context, status=status)


@login_required
def document_make(request, doc_type: str, pk: int, target: str):
    """Make a document of type ``target`` from this one (a supplier order first asks for the supplier)."""
    model = _model_of(doc_type)
    source = _document_or_404(request.user, model, pk)
    service = next((service for slug, _label, service in MAKE_FROM.get(model, ()) if slug == target), None)
    if service is None:
        raise Http404
    ensure_role(request.user, "add", services.resource_of(DOC_TYPES[target]))
    action_url = reverse("documents:document_make", args=[doc_type, pk, target])
    if target == "purchase-orders":
        form = SupplierForm(request.POST or None, actor=request.user)
        if request.method != "POST":
            return _supplier_page(
                request, form, source=source, back_url=document_url(source), action_url=action_url
            )
        if not form.is_valid():
            return _supplier_page(
                request, form, source=source, back_url=document_url(source), action_url=action_url, status=400
            )
        try:
            made = service(source, actor=request.user, supplier=form.cleaned_data["supplier"])
        except ValidationError as error:
            if "supplier" in getattr(error, "error_dict", {}):
                add_service_errors(form, error)
                return _supplier_page(
                    request,
                    form,
                    source=source,
                    back_url=document_url(source),
                    action_url=action_url,
                    status=400,
                )
            _report(request, error)
            return redirect(document_url(source))
    else:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        try:
            made = service(source, actor=request.user)
        except ValidationError as error:
            _report(request, error)
            return redirect(document_url(source))
    messages.success(
        request, _("%(document)s is made from %(source)s.") % {"document": made, "source": source}
    )
    return redirect(document_url(made))


@login_required
def document_from_deal(request, deal_pk: int, doc_type: str):
    """Make a document from a deal: its client, counterparty, contract, manager and goods are copied.

    A refusal (no goods, the deal is closed or lost) is shown on the deal's page.
    """
    model = _model_of(doc_type)
    deal = _deal_or_404(request.user, deal_pk)
    ensure_role(request.user, "add", services.resource_of(model))
    deal_url = reverse("deals:deal_detail", args=[deal.pk])
    service = FROM_DEAL[doc_type]
    try:
        if doc_type == "purchase-orders":
            action_url = reverse("documents:document_from_deal", args=[deal.pk, doc_type])
            form = SupplierForm(request.POST or None, actor=request.user)
            if request.method != "POST":
                return _supplier_page(request, form, source=deal, back_url=deal_url, action_url=action_url)
            if not form.is_valid():
                return _supplier_page(
                    request, form, source=deal, back_url=deal_url, action_url=action_url, status=400
                )
            try:
                made = service(deal, actor=request.user, supplier=form.cleaned_data["supplier"])
            except ValidationError as error:
                if "supplier" not in getattr(error, "error_dict", {}):
                    raise
                add_service_errors(form, error)
                return _supplier_page(
                    request, form, source=deal, back_url=deal_url, action_url=action_url, status=400
                )
        else:
            if request.method != "POST":
                return HttpResponse(status=405, headers={"Allow": "POST"})
            made = service(deal, actor=request.user)
    except ValidationError as error:
        _report(request, error)
        return redirect(deal_url)
    messages.success(request, _("%(document)s is made from the deal.") % {"document": made})
    return redirect(document_url(made))


# --- files ----------------------------------------------------------------------------------------------------


@login_required
def document_lines_xlsx(request, doc_type: str, pk: int):
    """The lines of the document as an Excel workbook (``sdelka.documents.exports``)."""
    from sdelka.documents import exports

    model = _model_of(doc_type)
    ensure_role(request.user, "view", services.resource_of(model))
    document = _document_or_404(request.user, model, pk)
    response = HttpResponse(exports.document_lines_xlsx(document), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(document, "xlsx")}"'
    return response


@login_required
def quote_pdf(request, pk: int):
    """The printed commercial proposal, in the language of the page (``sdelka.documents.printing``)."""
    from sdelka.documents import printing

    ensure_role(request.user, "view", "quote")
    quote = _document_or_404(request.user, Quote, pk)
    response = HttpResponse(
        printing.quote_pdf(quote, language=get_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_file_name(quote, "pdf")}"'
    return response
