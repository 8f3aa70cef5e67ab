"""Pages of the documents app: contracts, and the documents of deals (quotes, orders, sales, supplier orders)."""

from sdelka.documents.views.contracts import (
    contract_create,
    contract_delete,
    contract_detail,
    contract_edit,
    contract_list,
)
from sdelka.documents.views.documents import (
    document_create,
    document_delete,
    document_detail,
    document_edit,
    document_from_deal,
    document_index,
    document_lines,
    document_lines_xlsx,
    document_list,
    document_make,
    document_set_status,
    quote_pdf,
    sale_post,
    sale_unpost,
)

__all__ = [
    "contract_create",
    "contract_delete",
    "contract_detail",
    "contract_edit",
    "contract_list",
    "document_create",
    "document_delete",
    "document_detail",
    "document_edit",
    "document_from_deal",
    "document_index",
    "document_lines",
    "document_lines_xlsx",
    "document_list",
    "document_make",
    "document_set_status",
    "quote_pdf",
    "sale_post",
    "sale_unpost",
]
