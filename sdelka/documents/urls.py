from django.urls import path, register_converter

from sdelka.documents import views
from sdelka.documents.views import imports


class DocumentTypeConverter:
    """The kinds of documents of a deal as they appear in URLs (``views.documents.DOC_TYPES``)."""

    regex = "quotes|sales-orders|sales|purchase-orders"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentTypeConverter, "doctype")

app_name = "documents"
urlpatterns = [
    path("", views.document_index, name="index"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="contract_delete"),
    path("from-deal/<int:deal_pk>/<doctype:doc_type>/", views.document_from_deal, name="document_from_deal"),
    path("quotes/<int:pk>/pdf/", views.quote_pdf, name="quote_pdf"),
    path("sales/import/", imports.sales_import_upload, name="sales_import_upload"),
    path("sales/import/<int:pk>/", imports.sales_import_detail, name="sales_import_detail"),
    path("sales/<int:pk>/post/", views.sale_post, name="sale_post"),
    path("sales/<int:pk>/unpost/", views.sale_unpost, name="sale_unpost"),
    path("<doctype:doc_type>/", views.document_list, name="document_list"),
    path("<doctype:doc_type>/new/", views.document_create, name="document_create"),
    path("<doctype:doc_type>/<int:pk>/", views.document_detail, name="document_detail"),
    path("<doctype:doc_type>/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<doctype:doc_type>/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<doctype:doc_type>/<int:pk>/lines/", views.document_lines, name="document_lines"),
    path("<doctype:doc_type>/<int:pk>/status/", views.document_set_status, name="document_set_status"),
    path("<doctype:doc_type>/<int:pk>/xlsx/", views.document_lines_xlsx, name="document_lines_xlsx"),
    path("<doctype:doc_type>/<int:pk>/make/<doctype:target>/", views.document_make, name="document_make"),
]
