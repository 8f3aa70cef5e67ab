"""Print forms of documents: the commercial proposal to a client as a PDF (WeasyPrint).

The page is an ordinary Django template (``documents/print/quote.html``) rendered in the requested
language, so numbers, dates and words follow it; WeasyPrint lays it out with the DejaVu fonts of the
machine (they carry Cyrillic) and is not allowed to fetch anything: a print form never reaches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format

from sdelka.core.company import company_get
from sdelka.core.models import Company
from sdelka.documents.models import Quote
from sdelka.documents.selectors import document_lines

__all__ = ["format_money", "format_quantity", "quote_pdf", "quote_print_context"]

QUANTITY_PLACES = 3


def format_money(value: Decimal) -> str:
    """Money as the active language writes it: "1 234 567,50" in Russian, "1,234,567.50" in English."""
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def format_quantity(value: Decimal) -> str:
    """A quantity with as many decimals as it has (up to 3): "2", "1,5", "0,125" — not "2,000"."""
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=min(places, QUANTITY_PLACES), use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class PrintLine:
    number: int
    product: str
    sku: str
    quantity: str
    unit: str
    price: str
    discount: str
    vat_rate: str
    amount: str


def _print_lines(quote: Quote) -> list[PrintLine]:
    rows = []
    for number, line in enumerate(document_lines(quote), start=1):
        product = line.product
        rows.append(
            PrintLine(
                number=number,
                product=product.name,
                sku=product.sku,
                quantity=format_quantity(line.quantity),
                unit=product.get_unit_display(),
                price=format_money(line.price),
                discount=(
                    f"{format_quantity(line.discount_percent)}\u00a0%" if line.discount_percent else "—"
                ),
                vat_rate=line.get_vat_rate_display(),
                amount=format_money(line.amount_gross),
            )
        )
    return rows


def _contacts(quote: Quote) -> list:
    if not quote.deal_id:
        return []
    return list(quote.deal.contacts.order_by("name", "id"))


def quote_print_context(quote: Quote) -> dict:
    """What the proposal's template shows, with every number already formatted in the active language."""
    company: Company | None = company_get()
    manager = quote.manager
    return {
        "quote": quote,
        "company": company if company is not None and company.is_filled else None,
        "partner": quote.partner,
        "counterparty": quote.counterparty,
        "contacts": _contacts(quote),
        "lines": _print_lines(quote),
        "currency": quote.currency,
        "amount_net": format_money(quote.amount_net),
        "amount_vat": format_money(quote.amount_vat),
        "amount_gross": format_money(quote.amount_gross),
        "without_vat": company is not None and not company.vat_payer and not quote.amount_vat,
        "manager": manager,
        "manager_name": manager.get_full_name() or manager.username,
    }


def _refuse_fetching():
    """A fetcher that allows no protocol at all: the template embeds everything it needs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=())


def quote_pdf(quote: Quote, *, language: str) -> bytes:
    """The commercial proposal as a PDF in ``language`` ("ru" or "en"): seller, client, lines, totals, validity.

    Without our company's requisites the document says so where the seller would be, instead of failing:
    a manager can still send a draft while the administrator fills them in.
    """
    # WeasyPrint is heavy to import (fonts, layout); only the print forms need it.
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("documents/print/quote.html", quote_print_context(quote))
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetching()).write_pdf()
