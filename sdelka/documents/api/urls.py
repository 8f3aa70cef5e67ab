from django.urls import path
from rest_framework.routers import SimpleRouter

from .documents import (
    DealExpenseViewSet,
    DealFinancialResultView,
    DealPurchaseOrderCreateView,
    DealQuoteCreateView,
    DealSaleCreateView,
    DealSalesOrderCreateView,
    PurchaseOrderViewSet,
    QuoteViewSet,
    SalesOrderViewSet,
    SaleViewSet,
)
from .imports import SalesImportViewSet
from .views import ContractViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="contracts")
router.register("quotes", QuoteViewSet, basename="quotes")
router.register("sales-orders", SalesOrderViewSet, basename="sales-orders")
router.register("sales", SaleViewSet, basename="sales")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-orders")
router.register("deal-expenses", DealExpenseViewSet, basename="deal-expenses")
router.register("sales-imports", SalesImportViewSet, basename="sales-imports")

urlpatterns = [
    path("deals/<int:pk>/quotes/", DealQuoteCreateView.as_view(), name="deal-quotes"),
    path("deals/<int:pk>/sales-orders/", DealSalesOrderCreateView.as_view(), name="deal-sales-orders"),
    path("deals/<int:pk>/sales/", DealSaleCreateView.as_view(), name="deal-sales"),
    path(
        "deals/<int:pk>/purchase-orders/", DealPurchaseOrderCreateView.as_view(), name="deal-purchase-orders"
    ),
    path("deals/<int:pk>/financial-result/", DealFinancialResultView.as_view(), name="deal-financial-result"),
    *router.urls,
]
