"""Writes of the documents app: contracts, the documents of deals, posting sales, expenses of deals.

Pages and the API import from here: ``from sdelka.documents import services``.
"""

from sdelka.documents.services.contracts import contract_create, contract_delete, contract_update
from sdelka.documents.services.documents import (
    TRANSITIONS,
    document_create,
    document_delete,
    document_set_lines,
    document_set_status,
    document_update,
    purchase_order_from_deal,
    purchase_order_from_sales_order,
    quote_from_deal,
    resource_of,
    sale_from_deal,
    sale_from_quote,
    sale_from_sales_order,
    sales_order_from_deal,
    sales_order_from_quote,
)
from sdelka.documents.services.expenses import expense_create, expense_delete, expense_update
from sdelka.documents.services.posting import sale_post, sale_unpost

__all__ = [
    "TRANSITIONS",
    "contract_create",
    "contract_delete",
    "contract_update",
    "document_create",
    "document_delete",
    "document_set_lines",
    "document_set_status",
    "document_update",
    "expense_create",
    "expense_delete",
    "expense_update",
    "purchase_order_from_deal",
    "purchase_order_from_sales_order",
    "quote_from_deal",
    "resource_of",
    "sale_from_deal",
    "sale_from_quote",
    "sale_from_sales_order",
    "sale_post",
    "sale_unpost",
    "sales_order_from_deal",
    "sales_order_from_quote",
]
