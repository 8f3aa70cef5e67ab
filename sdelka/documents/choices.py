from django.db import models
from django.utils.translation import pgettext_lazy


class ContractStatus(models.TextChoices):
    # Contexts: the Russian words agree with «договор» (and differ from the same English words elsewhere).
    DRAFT = "draft", pgettext_lazy("contract status", "Draft")
    ACTIVE = "active", pgettext_lazy("contract status", "Active")
    CLOSED = "closed", pgettext_lazy("contract status", "Closed")


class DocumentType(models.TextChoices):
    """The kinds of documents made from a deal; each numbers its documents on its own, year by year."""

    QUOTE = "quote", pgettext_lazy("document type", "Commercial proposal")
    SALES_ORDER = "sales_order", pgettext_lazy("document type", "Customer order")
    SALE = "sale", pgettext_lazy("document type", "Sale")
    PURCHASE_ORDER = "purchase_order", pgettext_lazy("document type", "Supplier order")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("quote status", "Draft")
    SENT = "sent", pgettext_lazy("quote status", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("quote status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("quote status", "Rejected")
    EXPIRED = "expired", pgettext_lazy("quote status", "Expired")


class SalesOrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("order status", "Draft")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    FULFILLED = "fulfilled", pgettext_lazy("order status", "Fulfilled")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


class SaleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("sale status", "Draft")
    POSTED = "posted", pgettext_lazy("sale status", "Posted")


class PurchaseOrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("order status", "Draft")
    CONFIRMED = "confirmed", pgettext_lazy("order status", "Confirmed")
    RECEIVED = "received", pgettext_lazy("order status", "Received")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


class ExpenseKind(models.TextChoices):
    """What a deal's expense was for ("статья расходов")."""

    DELIVERY = "delivery", pgettext_lazy("expense kind", "Delivery")
    INSTALLATION = "installation", pgettext_lazy("expense kind", "Installation and commissioning")
    TRAVEL = "travel", pgettext_lazy("expense kind", "Travel")
    COMMISSION = "commission", pgettext_lazy("expense kind", "Agent's commission")
    ENTERTAINMENT = "entertainment", pgettext_lazy("expense kind", "Entertainment")
    MARKETING = "marketing", pgettext_lazy("expense kind", "Marketing")
    OTHER = "other", pgettext_lazy("expense kind", "Other")
