"""Documents of deals over the API: quotes, customer orders, sales, supplier orders, and deal expenses.

Each type is a resource of its own (``/quotes/``, ``/sales-orders/``, ``/sales/``, ``/purchase-orders/``)
with the same shape; the actions are the services' own: status moves, posting a sale, making one document
from another or from a deal (``/deals/{id}/quotes/`` …), printing and exporting.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.accounts.permissions import ADD, CHANGE, VIEW, role_can
from sdelka.core.api.serializers import ErrorSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_get
from sdelka.documents import selectors, services
from sdelka.documents.filters import ExpenseFilter, document_filter_for
from sdelka.documents.models import DealExpense, Document, PurchaseOrder, Quote, Sale, SalesOrder

from .serializers import (
    DealExpenseSerializer,
    DocumentStatusSerializer,
    FinancialResultSerializer,
    MadeFromSerializer,
    PurchaseOrderFromSerializer,
    PurchaseOrderSerializer,
    QuoteSerializer,
    SaleSerializer,
    SalesOrderSerializer,
)

REFUSED = OpenApiResponse(ErrorSerializer, description="Refused; the reason is given.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SERIALIZERS = {
    Quote: QuoteSerializer,
    SalesOrder: SalesOrderSerializer,
    Sale: SaleSerializer,
    PurchaseOrder: PurchaseOrderSerializer,
}


def _given(serializer_class, request: Request, context: dict) -> dict:
    given = serializer_class(data=request.data, context=context)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


def _created(document: Document, request: Request) -> Response:
    serializer = SERIALIZERS[type(document)](document, context={"request": request})
    return Response(serializer.data, status=status.HTTP_201_CREATED)


class DocumentViewSet(HistoryMixin, ServiceViewSet):
    """The common part of the four document resources."""

    model: type[Document]
    action_rights = {"set_status": CHANGE, "xlsx": VIEW}
    search_fields = ["number", "partner__name"]
    ordering_fields = ["date", "number", "amount_gross", "status", "created_at", "id"]

    def select(self, *, user):
        return selectors.document_list(self.model, user=user).prefetch_related("lines__product")

    def create_record(self, *, actor, data):
        lines = data.pop("lines", [])
        return services.document_create(self.model, actor=actor, data=data, lines=lines)

    def update_record(self, instance, *, actor, data):
        lines = data.pop("lines", None)
        with transaction.atomic():
            document = services.document_update(instance, actor=actor, data=data)
            if lines is not None:
                document = services.document_set_lines(document, actor=actor, lines=lines)
        return document

    def delete_record(self, instance, *, actor):
        services.document_delete(instance, actor=actor)

    def _answer(self, document: Document) -> Response:
        return Response(self.get_serializer(self.reread(document)).data)

    @extend_schema(
        summary="Move the document to another status",
        request=DocumentStatusSerializer,
        responses={200: None, 400: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[], pagination_class=None)
    def set_status(self, request: Request, pk=None) -> Response:
        document = self.get_object()
        given = _given(DocumentStatusSerializer, request, self.get_serializer_context())
        return self._answer(
            services.document_set_status(document, actor=request.user, status=given["status"])
        )

    @extend_schema(
        summary="The lines as an Excel workbook",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="An .xlsx file.")},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def xlsx(self, request: Request, pk=None) -> HttpResponse:
        from sdelka.documents.exports import document_lines_xlsx

        document = self.get_object()
        response = HttpResponse(document_lines_xlsx(document), content_type=XLSX)
        name = f"{document.document_type}-{document.number}.xlsx".replace("_", "-")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _made_from_schema(summary: str, request, response) -> dict:
    return {"summary": summary, "request": request, "responses": {201: response, 400: REFUSED}}


class QuoteViewSet(DocumentViewSet):
    """Commercial proposals: draft → sent → accepted | rejected | expired."""

    model = Quote
    queryset = Quote.objects.none()
    serializer_class = QuoteSerializer
    permission_resource = "quote"
    filterset_class = document_filter_for(Quote)
    action_rights = {
        **DocumentViewSet.action_rights,
        "pdf": VIEW,
        "make_sales_order": VIEW,
        "make_sale": VIEW,
    }

    @extend_schema(
        summary="The commercial proposal as a PDF",
        parameters=[
            OpenApiParameter(
                "language",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description="Default: yours.",
            )
        ],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A PDF file.")},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def pdf(self, request: Request, pk=None) -> HttpResponse:
        from sdelka.documents.printing import quote_pdf

        quote = self.get_object()
        language = (
            request.query_params.get("language") or translation.get_language() or settings.LANGUAGE_CODE
        )
        if language not in dict(settings.LANGUAGES):
            return Response({"language": [_("Unknown language.")]}, status=status.HTTP_400_BAD_REQUEST)
        response = HttpResponse(quote_pdf(quote, language=language), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="quote-{quote.number}.pdf"'
        return response

    @extend_schema(
        **_made_from_schema(
            "Make a customer order from the proposal", MadeFromSerializer, SalesOrderSerializer
        )
    )
    @action(detail=True, methods=["post"], url_path="sales-order", filter_backends=[], pagination_class=None)
    def make_sales_order(self, request: Request, pk=None) -> Response:
        quote = self.get_object()
        _ensure_may(request.user, ADD, "sales_order")
        data = _given(MadeFromSerializer, request, self.get_serializer_context())
        return _created(services.sales_order_from_quote(quote, actor=request.user, data=data), request)

    @extend_schema(**_made_from_schema("Make a sale from the proposal", MadeFromSerializer, SaleSerializer))
    @action(detail=True, methods=["post"], url_path="sale", filter_backends=[], pagination_class=None)
    def make_sale(self, request: Request, pk=None) -> Response:
        quote = self.get_object()
        _ensure_may(request.user, ADD, "sale")
        data = _given(MadeFromSerializer, request, self.get_serializer_context())
        return _created(services.sale_from_quote(quote, actor=request.user, data=data), request)


class SalesOrderViewSet(DocumentViewSet):
    """Customer orders: draft → confirmed → fulfilled | cancelled."""

    model = SalesOrder
    queryset = SalesOrder.objects.none()
    serializer_class = SalesOrderSerializer
    permission_resource = "sales_order"
    filterset_class = document_filter_for(SalesOrder)
    action_rights = {**DocumentViewSet.action_rights, "make_sale": VIEW, "make_purchase_order": VIEW}

    @extend_schema(**_made_from_schema("Make a sale from the order", MadeFromSerializer, SaleSerializer))
    @action(detail=True, methods=["post"], url_path="sale", filter_backends=[], pagination_class=None)
    def make_sale(self, request: Request, pk=None) -> Response:
        order = self.get_object()
        _ensure_may(request.user, ADD, "sale")
        data = _given(MadeFromSerializer, request, self.get_serializer_context())
        return _created(services.sale_from_sales_order(order, actor=request.user, data=data), request)

    @extend_schema(
        **_made_from_schema(
            "Make a supplier order from the order", PurchaseOrderFromSerializer, PurchaseOrderSerializer
        )
    )
    @action(
        detail=True, methods=["post"], url_path="purchase-orders", filter_backends=[], pagination_class=None
    )
    def make_purchase_order(self, request: Request, pk=None) -> Response:
        order = self.get_object()
        _ensure_may(request.user, ADD, "purchase_order")
        data = _given(PurchaseOrderFromSerializer, request, self.get_serializer_context())
        supplier = data.pop("supplier")
        return _created(
            services.purchase_order_from_sales_order(order, actor=request.user, supplier=supplier, data=data),
            request,
        )


class SaleViewSet(DocumentViewSet):
    """Sales: draft → posted (posting records the sales facts; unposting removes them)."""

    model = Sale
    queryset = Sale.objects.none()
    serializer_class = SaleSerializer
    permission_resource = "sale"
    filterset_class = document_filter_for(Sale)
    action_rights = {**DocumentViewSet.action_rights, "post": CHANGE, "unpost": CHANGE}

    @extend_schema(summary="Post the sale", request=None, responses={200: SaleSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def post(self, request: Request, pk=None) -> Response:
        return self._answer(services.sale_post(self.get_object(), actor=request.user))

    @extend_schema(summary="Cancel the posting", request=None, responses={200: SaleSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def unpost(self, request: Request, pk=None) -> Response:
        return self._answer(services.sale_unpost(self.get_object(), actor=request.user))


class PurchaseOrderViewSet(DocumentViewSet):
    """Supplier orders: draft → confirmed → received (or cancelled); ``partner`` is the supplier."""

    model = PurchaseOrder
    queryset = PurchaseOrder.objects.none()
    serializer_class = PurchaseOrderSerializer
    permission_resource = "purchase_order"
    filterset_class = document_filter_for(PurchaseOrder)


class DealExpenseViewSet(HistoryMixin, ServiceViewSet):
    """Expenses of the deals the caller sees, in the base currency."""

    queryset = DealExpense.objects.none()
    serializer_class = DealExpenseSerializer
    permission_resource = "deal_expense"
    filterset_class = ExpenseFilter
    search_fields = ["comment", "deal__number", "deal__name"]
    ordering_fields = ["date", "amount", "created_at", "id"]

    def select(self, *, user):
        return selectors.expense_list(user=user)

    def create_record(self, *, actor, data):
        return services.expense_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.expense_update(actor=actor, expense=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.expense_delete(actor=actor, expense=instance)


# --- made from a deal ----------------------------------------------------------------------------------------


def _ensure_may(user, right: str, resource: str) -> None:
    if not role_can(user, right, resource):
        raise PermissionDenied(_("Your role does not allow this action."))


class DealScopedView(APIView):
    permission_classes = [IsAuthenticated]

    def deal(self, request: Request, pk: int) -> Deal:
        try:
            return deal_get(user=request.user, pk=pk)
        except Deal.DoesNotExist as error:
            raise Http404 from error


class DealDocumentCreateView(DealScopedView):
    """``POST /deals/{id}/<documents>/``: a new draft document with the deal's client, terms and goods."""

    model: type[Document]
    make = None

    def post(self, request: Request, pk: int) -> Response:
        deal = self.deal(request, pk)
        _ensure_may(request.user, ADD, services.resource_of(self.model))
        data = _given(MadeFromSerializer, request, {"request": request})
        return _created(type(self).make(deal, actor=request.user, data=data), request)


class DealQuoteCreateView(DealDocumentCreateView):
    model = Quote
    make = staticmethod(services.quote_from_deal)

    @extend_schema(
        **_made_from_schema("Make a commercial proposal from the deal", MadeFromSerializer, QuoteSerializer)
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class DealSalesOrderCreateView(DealDocumentCreateView):
    model = SalesOrder
    make = staticmethod(services.sales_order_from_deal)

    @extend_schema(
        **_made_from_schema("Make a customer order from the deal", MadeFromSerializer, SalesOrderSerializer)
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class DealSaleCreateView(DealDocumentCreateView):
    model = Sale
    make = staticmethod(services.sale_from_deal)

    @extend_schema(**_made_from_schema("Make a sale from the deal", MadeFromSerializer, SaleSerializer))
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class DealPurchaseOrderCreateView(DealScopedView):
    @extend_schema(
        **_made_from_schema(
            "Make a supplier order from the deal", PurchaseOrderFromSerializer, PurchaseOrderSerializer
        )
    )
    def post(self, request: Request, pk: int) -> Response:
        deal = self.deal(request, pk)
        _ensure_may(request.user, ADD, "purchase_order")
        data = _given(PurchaseOrderFromSerializer, request, {"request": request})
        supplier = data.pop("supplier")
        return _created(
            services.purchase_order_from_deal(deal, actor=request.user, supplier=supplier, data=data), request
        )


class DealFinancialResultView(DealScopedView):
    @extend_schema(
        summary="The deal's financial result",
        description="Revenue of the posted sales (without VAT) − cost of goods sold − expenses, in the base "
        "currency.",
        responses=FinancialResultSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        deal = self.deal(request, pk)
        result = selectors.deal_financial_result(deal=deal)
        return Response(FinancialResultSerializer({"currency": settings.SDELKA_BASE_CURRENCY, **result}).data)
