"""Writes of the documents of a deal: create, change while a draft, lines, status, made one from another.

Rules every document keeps, whichever door it comes through (page, API, demo, import):
- the number is given on creation, unique within the type and year (a locked counter row per type and year);
- the partner, deal and manager must be in the actor's scope; the counterparty must be the partner's and the
  contract the counterparty's; a client document needs a client, a supplier order a supplier;
- only a draft can be changed or deleted; other statuses move as ``TRANSITIONS`` allows;
- the amounts of every line are computed here (``amounts.line_amounts``) and the totals are their sums.
A refused write raises ``ValidationError`` inside the transaction, so nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.amounts import line_amounts
from sdelka.documents.choices import (
    DocumentType,
    PurchaseOrderStatus,
    QuoteStatus,
    SalesOrderStatus,
)
from sdelka.documents.models import (
    Document,
    DocumentLine,
    DocumentNumberCounter,
    PurchaseOrder,
    Quote,
    Sale,
    SalesOrder,
)
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

#: the permission resource (``RULES``) of each document type
RESOURCES = {
    DocumentType.QUOTE: "quote",
    DocumentType.SALES_ORDER: "sales_order",
    DocumentType.SALE: "sale",
    DocumentType.PURCHASE_ORDER: "purchase_order",
}
HEADER_FIELDS = (
    "date",
    "partner",
    "counterparty",
    "contract",
    "deal",
    "manager",
    "currency",
    "exchange_rate",
    "prices_include_vat",
    "comment",
)
EXTRA_FIELDS = {
    Quote: ("valid_until",),
    SalesOrder: ("shipment_date",),
    Sale: (),
    PurchaseOrder: ("delivery_date",),
}
#: status → the statuses a document may go to by ``document_set_status`` (a sale moves by posting only)
TRANSITIONS: dict[type[Document], dict[str, set[str]]] = {
    Quote: {
        QuoteStatus.DRAFT: {QuoteStatus.SENT},
        QuoteStatus.SENT: {
            QuoteStatus.ACCEPTED,
            QuoteStatus.REJECTED,
            QuoteStatus.EXPIRED,
            QuoteStatus.DRAFT,
        },
        QuoteStatus.ACCEPTED: {QuoteStatus.SENT},
        QuoteStatus.REJECTED: {QuoteStatus.SENT},
        QuoteStatus.EXPIRED: {QuoteStatus.SENT},
    },
    SalesOrder: {
        SalesOrderStatus.DRAFT: {SalesOrderStatus.CONFIRMED, SalesOrderStatus.CANCELLED},
        SalesOrderStatus.CONFIRMED: {
            SalesOrderStatus.FULFILLED,
            SalesOrderStatus.CANCELLED,
            SalesOrderStatus.DRAFT,
        },
        SalesOrderStatus.FULFILLED: {SalesOrderStatus.CONFIRMED},
        SalesOrderStatus.CANCELLED: {SalesOrderStatus.DRAFT},
    },
    Sale: {},
    PurchaseOrder: {
        PurchaseOrderStatus.DRAFT: {PurchaseOrderStatus.CONFIRMED, PurchaseOrderStatus.CANCELLED},
        PurchaseOrderStatus.CONFIRMED: {
            PurchaseOrderStatus.RECEIVED,
            PurchaseOrderStatus.CANCELLED,
            PurchaseOrderStatus.DRAFT,
        },
        PurchaseOrderStatus.RECEIVED: {PurchaseOrderStatus.CONFIRMED},
        PurchaseOrderStatus.CANCELLED: {PurchaseOrderStatus.DRAFT},
    },
}
#: statuses of a source document that nothing more may be made from
DEAD_ENDS = {QuoteStatus.REJECTED, QuoteStatus.EXPIRED, SalesOrderStatus.CANCELLED}
#: a product's list price includes VAT (``Product.price``); its cost price does not
COPIED_LINE_FIELDS = ("product_id", "quantity", "price", "discount_percent", "vat_rate")


def resource_of(document: Document | type[Document]) -> str:
    return RESOURCES[document.document_type]


def line_model_of(model: type[Document]) -> type[DocumentLine]:
    return model.lines.rel.related_model


def _next_number(document_type: str, year: int) -> str:
    """ "2026-000123": per type, restarting every year, as 1C numbers documents."""
    DocumentNumberCounter.objects.get_or_create(document_type=document_type, year=year)
    # The UPDATE locks the row, so concurrent creations take turns and never share a number.
    DocumentNumberCounter.objects.filter(document_type=document_type, year=year).update(last=F("last") + 1)
    last = DocumentNumberCounter.objects.get(document_type=document_type, year=year).last
    return f"{year}-{last:06d}"


def _ensure_draft(document: Document) -> None:
    if document.status != "draft":
        raise ValidationError(
            _("Only a draft can be changed; this document is “%(status)s”.")
            % {"status": document.get_status_display()}
        )


def _check_parties(actor, document: Document, *, changed: Iterable[str]) -> None:
    """The partner, deal and manager are the actor's to use; the partner fits the document type."""
    changed = set(changed)
    errors: dict[str, str] = {}
    scoped = isinstance(actor, User) and covered_user_ids(actor) is not None
    deal_visible = False
    if document.deal_id:
        deal_visible = not scoped or Deal.objects.filter(deal_scope(actor), pk=document.deal_id).exists()
        if "deal" in changed and not deal_visible:
            errors["deal"] = _("Deal not found.")
    if document.partner_id and "partner" in changed:
        # A collaborator of a deal may make its documents even when the client is another manager's.
        partner_visible = (
            not scoped or Partner.objects.filter(partner_scope(actor), pk=document.partner_id).exists()
        )
        if not partner_visible and not deal_visible:
            errors["partner"] = _("Partner not found.")
        elif isinstance(document, PurchaseOrder):
            if not document.partner.is_supplier:
                errors["partner"] = _("This partner is not marked as a supplier.")
        elif not document.partner.is_client:
            errors["partner"] = _("This partner is not marked as a client.")
    if (
        document.deal_id
        and not isinstance(document, PurchaseOrder)
        and document.partner_id
        and document.deal.partner_id != document.partner_id
    ):
        errors["deal"] = _("The deal is with another client.")
    if "manager" in changed and document.manager_id:
        manager = document.manager
        covered = covered_user_ids(actor) if isinstance(actor, User) else None
        if not manager.is_active:
            errors["manager"] = _("%(user)s is deactivated and cannot be responsible.") % {"user": manager}
        elif covered is not None and not covered.filter(pk=manager.pk).exists():
            errors["manager"] = _("You cannot make %(user)s responsible: they are outside your team.") % {
                "user": manager
            }
    if errors:
        raise ValidationError(errors)


def _save(document: Document, *, actor) -> None:
    try:
        with transaction.atomic():
            validate_and_save(document, actor=actor)
    except IntegrityError as error:  # pragma: no cover - numbers come from a locked counter
        raise ValidationError({"number": _("A document with this number exists in this year.")}) from error


def _clean_decimal(value, *, field: str, line: int) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise ValidationError(
            {"lines": [_("Line %(n)d: %(field)s is not a number.") % {"n": line, "field": field}]}
        ) from error


def _build_lines(document: Document, lines: Iterable[dict]) -> list[DocumentLine]:
    """Validated line rows with their amounts; ``lines`` are dicts of product, quantity, price and
    optionally discount_percent and vat_rate (the product's rate by default)."""
    line_model = line_model_of(type(document))
    rows = []
    messages = []
    for index, line in enumerate(lines, start=1):
        product = line.get("product")
        if product is None:
            messages.append(_("Line %(n)d: choose a product.") % {"n": index})
            continue
        quantity = _clean_decimal(line.get("quantity"), field=_("quantity"), line=index)
        price = _clean_decimal(line.get("price"), field=_("price"), line=index)
        discount = _clean_decimal(line.get("discount_percent") or 0, field=_("discount"), line=index)
        if quantity == 0:
            messages.append(_("Line %(n)d: the quantity cannot be zero.") % {"n": index})
            continue
        if quantity < 0 and not isinstance(document, Sale):
            messages.append(
                _("Line %(n)d: the quantity must be positive (only a sale may return goods).") % {"n": index}
            )
            continue
        row = line_model(
            document=document,
            product=product,
            quantity=quantity,
            price=price,
            discount_percent=discount,
            vat_rate=line.get("vat_rate") or product.vat_rate,
        )
        amounts = line_amounts(
            quantity=quantity,
            price=price,
            discount_percent=discount,
            vat_rate=row.vat_rate,
            prices_include_vat=document.prices_include_vat,
        )
        row.amount_discount, row.amount_net = amounts.discount, amounts.net
        row.amount_vat, row.amount_gross = amounts.vat, amounts.gross
        try:
            row.full_clean(exclude=["document"])
        except ValidationError as error:
            messages.append(_("Line %(n)d: %(errors)s") % {"n": index, "errors": "; ".join(error.messages)})
            continue
        rows.append(row)
    if messages:
        raise ValidationError({"lines": messages})
    return rows


def _replace_lines(document: Document, rows: list[DocumentLine]) -> None:
    """Store ``rows`` as the document's lines (a saved document) and set its totals to their sums."""
    document.lines.all().delete()
    for row in rows:
        row.document = document
    line_model_of(type(document)).objects.bulk_create(rows)
    _apply_totals(document, rows)


def _apply_totals(document: Document, rows: list[DocumentLine]) -> None:
    zero = Decimal("0.00")
    document.amount_net = sum((row.amount_net for row in rows), zero)
    document.amount_vat = sum((row.amount_vat for row in rows), zero)
    document.amount_gross = sum((row.amount_gross for row in rows), zero)


def _relines(document: Document) -> None:
    """Recompute every line (the VAT mode may have changed) and the totals."""
    rows = _build_lines(
        document,
        [
            {
                "product": line.product,
                "quantity": line.quantity,
                "price": line.price,
                "discount_percent": line.discount_percent,
                "vat_rate": line.vat_rate,
            }
            for line in document.lines.select_related("product")
        ],
    )
    _replace_lines(document, rows)


def _fields_of(model: type[Document]) -> tuple[str, ...]:
    return HEADER_FIELDS + EXTRA_FIELDS[model]


@transaction.atomic
def document_create(
    model: type[Document], *, actor, data: dict, lines: Iterable[dict] = (), **links
) -> Document:
    """A new draft of ``model`` with its lines; ``links`` are the source documents (``quote=…``)."""
    ensure_role_can(actor, "add", resource_of(model))
    document = model(created_by=actor if isinstance(actor, User) else None, **links)
    data = dict(data)
    data.setdefault("date", timezone.localdate())
    model_assign(document, data, _fields_of(model))
    if document.manager_id is None and isinstance(actor, User):
        document.manager = actor
    if document.deal_id and document.deal.closed:
        raise ValidationError({"deal": _("The deal is closed; reopen it first.")})
    _check_parties(actor, document, changed=data.keys() | {"partner", "manager"})
    document.year = document.date.year
    document.number = _next_number(model.document_type, document.year)
    rows = _build_lines(document, lines)
    _apply_totals(document, rows)
    _save(document, actor=actor)
    _replace_lines(document, rows)
    return document


@transaction.atomic
def document_update(document: Document, *, actor, data: dict) -> Document:
    """Change the header of a draft; the lines are recomputed when the VAT mode changes."""
    ensure_role_can(actor, "change", resource_of(document))
    _ensure_draft(document)
    changed = model_assign(document, data, _fields_of(type(document)))
    if not changed:
        return document
    _check_parties(actor, document, changed=changed)
    if "prices_include_vat" in changed:
        _relines(document)
    _save(document, actor=actor)
    return document


@transaction.atomic
def document_set_lines(document: Document, *, actor, lines: Iterable[dict]) -> Document:
    """Replace the lines of a draft; the totals become the sums of the new lines."""
    ensure_role_can(actor, "change", resource_of(document))
    _ensure_draft(document)
    rows = _build_lines(document, lines)
    _replace_lines(document, rows)
    _save(document, actor=actor)
    return document


@transaction.atomic
def document_set_status(document: Document, *, actor, status: str) -> Document:
    """Move the document to ``status`` as ``TRANSITIONS`` allows (a sale is posted by ``sale_post``)."""
    ensure_role_can(actor, "change", resource_of(document))
    model = type(document)
    valid = {value for value, _label in model._meta.get_field("status").choices}
    if status not in valid:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    if status == document.status:
        raise ValidationError({"status": _("The document has this status already.")})
    allowed = TRANSITIONS[model].get(document.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A document that is “%(current)s” cannot become “%(status)s”.")
                % {
                    "current": document.get_status_display(),
                    "status": model(status=status).get_status_display(),
                }
            }
        )
    if status != "draft" and not document.lines.exists():
        raise ValidationError(_("Add at least one line first."))
    document.status = status
    if isinstance(document, Quote) and status == QuoteStatus.SENT:
        document.sent_at = timezone.now()
    _save(document, actor=actor)
    return document


@transaction.atomic
def document_delete(document: Document, *, actor) -> None:
    """Delete a draft nothing was made from."""
    ensure_role_can(actor, "delete", resource_of(document))
    _ensure_draft(document)
    document._history_user = actor
    try:
        document.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("Other documents were made from this one; delete them first or cancel this one.")
        ) from error


# --- made from one another --------------------------------------------------------------------------------


def _ensure_source_alive(source: Document) -> None:
    if source.status in DEAD_ENDS:
        raise ValidationError(
            _("Nothing can be made from a document that is “%(status)s”.")
            % {"status": source.get_status_display()}
        )


def _header_from(source: Document | Deal, **overrides) -> dict:
    """The header a new document copies from a deal or another document."""
    header = {
        "partner": source.partner,
        "counterparty": source.counterparty,
        "contract": source.contract,
        "manager": source.manager,
        "currency": source.currency,
        "deal": source if isinstance(source, Deal) else source.deal,
    }
    if isinstance(source, Document):
        header["exchange_rate"] = source.exchange_rate
        header["prices_include_vat"] = source.prices_include_vat
    header.update(overrides)
    return header


def _lines_from_document(source: Document) -> list[dict]:
    return [
        {
            "product": line.product,
            "quantity": line.quantity,
            "price": line.price,
            "discount_percent": line.discount_percent,
            "vat_rate": line.vat_rate,
        }
        for line in source.lines.select_related("product").order_by("id")
    ]


def _lines_from_deal(deal: Deal) -> list[dict]:
    """The deal's goods of interest, at the deal's prices (list prices include VAT)."""
    lines = [
        {"product": line.product, "quantity": line.quantity, "price": line.price}
        for line in deal.products.select_related("product").order_by("id")
    ]
    if not lines:
        raise ValidationError(_("Add the goods of interest to the deal first: the document copies them."))
    return lines


def _ensure_deal_open(deal: Deal) -> None:
    if deal.closed:
        raise ValidationError(_("The deal is closed; reopen it first."))
    if deal.status == DealStatus.LOST:
        raise ValidationError(_("The deal is lost; reopen it first."))


def _overrides(data: dict | None) -> dict:
    return dict(data or {})


def quote_from_deal(deal: Deal, *, actor, data: dict | None = None) -> Quote:
    _ensure_deal_open(deal)
    return document_create(
        Quote, actor=actor, data=_header_from(deal, **_overrides(data)), lines=_lines_from_deal(deal)
    )


def sales_order_from_deal(deal: Deal, *, actor, data: dict | None = None) -> SalesOrder:
    _ensure_deal_open(deal)
    return document_create(
        SalesOrder, actor=actor, data=_header_from(deal, **_overrides(data)), lines=_lines_from_deal(deal)
    )


def sale_from_deal(deal: Deal, *, actor, data: dict | None = None) -> Sale:
    _ensure_deal_open(deal)
    return document_create(
        Sale, actor=actor, data=_header_from(deal, **_overrides(data)), lines=_lines_from_deal(deal)
    )


def sales_order_from_quote(quote: Quote, *, actor, data: dict | None = None) -> SalesOrder:
    _ensure_source_alive(quote)
    return document_create(
        SalesOrder,
        actor=actor,
        data=_header_from(quote, **_overrides(data)),
        lines=_lines_from_document(quote),
        quote=quote,
    )


def sale_from_quote(quote: Quote, *, actor, data: dict | None = None) -> Sale:
    _ensure_source_alive(quote)
    return document_create(
        Sale,
        actor=actor,
        data=_header_from(quote, **_overrides(data)),
        lines=_lines_from_document(quote),
        quote=quote,
    )


def sale_from_sales_order(order: SalesOrder, *, actor, data: dict | None = None) -> Sale:
    _ensure_source_alive(order)
    return document_create(
        Sale,
        actor=actor,
        data=_header_from(order, **_overrides(data)),
        lines=_lines_from_document(order),
        sales_order=order,
        quote=order.quote,
    )


def _purchase_lines(lines: list[dict]) -> list[dict]:
    """What we buy: the same products and quantities at their cost prices (without VAT)."""
    return [
        {"product": line["product"], "quantity": line["quantity"], "price": line["product"].cost_price}
        for line in lines
    ]


def _purchase_header(source: Deal | SalesOrder, supplier: Partner | None, data: dict | None) -> dict:
    if supplier is None:
        raise ValidationError({"supplier": _("Choose the supplier.")})
    counterparties = list(supplier.counterparties.all()[:2])
    header = {
        "partner": supplier,
        # The supplier's only legal entity is the obvious one; with several the user chooses.
        "counterparty": counterparties[0] if len(counterparties) == 1 else None,
        "contract": None,
        "manager": source.manager,
        "currency": settings.SDELKA_BASE_CURRENCY,
        "prices_include_vat": False,
        "deal": source if isinstance(source, Deal) else source.deal,
    }
    header.update(_overrides(data))
    return header


def purchase_order_from_deal(
    deal: Deal, *, actor, supplier: Partner | None, data: dict | None = None
) -> PurchaseOrder:
    _ensure_deal_open(deal)
    return document_create(
        PurchaseOrder,
        actor=actor,
        data=_purchase_header(deal, supplier, data),
        lines=_purchase_lines(_lines_from_deal(deal)),
    )


def purchase_order_from_sales_order(
    order: SalesOrder, *, actor, supplier: Partner | None, data: dict | None = None
) -> PurchaseOrder:
    _ensure_source_alive(order)
    return document_create(
        PurchaseOrder,
        actor=actor,
        data=_purchase_header(order, supplier, data),
        lines=_purchase_lines(_lines_from_document(order)),
        sales_order=order,
    )
