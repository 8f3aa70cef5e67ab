"""Contracts, the documents of a deal (quotes, customer orders, sales, supplier orders), the sales facts a
posted sale writes, and the expenses of a deal.

Documents are written only by ``sdelka.documents.services``: they number them, copy data from one document
to the next, compute the amounts of lines (``amounts.line_amounts``) and the totals, and post sales.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sdelka.catalog.choices import VatRate
from sdelka.core.choices import Currency
from sdelka.core.models import TimeStampedModel
from sdelka.documents.choices import (
    ContractStatus,
    DocumentType,
    ExpenseKind,
    PurchaseOrderStatus,
    QuoteStatus,
    SalesOrderStatus,
    SaleStatus,
)

MONEY = {"max_digits": 15, "decimal_places": 2}
QUANTITY = {"max_digits": 15, "decimal_places": 3}
RATE = {"max_digits": 14, "decimal_places": 6}


class Contract(TimeStampedModel):
    """A contract with a counterparty ("договор с контрагентом"): number, dates, validity, status, currency, limit.

    Documents made under it must belong to the same counterparty; who sees it follows the counterparty's partner.
    """

    counterparty = models.ForeignKey(
        "partners.Counterparty",
        verbose_name=_("counterparty"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    number = models.CharField(_("number"), max_length=50)
    date = models.DateField(_("date"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RUB)
    amount_limit = models.DecimalField(
        _("amount limit"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: no limit."),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["counterparty", "number"], name="contract_number_unique_per_counterparty"
            ),
        ]
        indexes = [models.Index(fields=["counterparty", "-date"])]

    def __str__(self) -> str:
        return _("Contract No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": date_format(self.date, "SHORT_DATE_FORMAT") if self.date else "—",
        }

    def clean(self) -> None:
        self.number = (self.number or "").strip()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The contract cannot end before it starts.")})

    def validate_constraints(self, exclude=None) -> None:
        # The per-counterparty number constraint is reported on the number, where the user can fix it.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            if getattr(error, "error_dict", {}).get("__all__"):
                raise ValidationError(
                    {"number": _("This counterparty already has a contract with this number.")}
                ) from error
            raise

    def is_valid_on(self, day) -> bool:
        """Active, and the day within its validity (open ends count as unlimited)."""
        return (
            self.status == ContractStatus.ACTIVE
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


class DocumentNumberCounter(models.Model):
    """The last number given to a type of document in a year; its row is locked while a number is taken."""

    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number counter")
        verbose_name_plural = _("document number counters")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "year"], name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.year}: {self.last}"


def document_indexes(prefix: str) -> list[models.Index]:
    """The indexes of a document table: by deal and by partner, each with the date (what lists and reports
    read, and what the foreign keys' checks need); optional links only where a document has one — most
    have none, and every index entry costs each insert (a history import writes hundreds of thousands of
    sales)."""
    return [
        models.Index(
            fields=["deal", "date"], condition=models.Q(deal__isnull=False), name=f"{prefix}_deal_date"
        ),
        models.Index(fields=["partner", "date"], name=f"{prefix}_partner_date"),
        models.Index(
            fields=["contract"], condition=models.Q(contract__isnull=False), name=f"{prefix}_contract"
        ),
    ]


class Document(TimeStampedModel):
    """What every document of a deal has: number and date, the parties, the deal, money and totals.

    ``number`` is unique within the type and ``year`` (the year of the date it was numbered on). The totals
    are the sums of the lines, stored so lists and reports need not add lines up. ``exchange_rate`` is how
    many units of the base currency one unit of the document's currency costs: always 1 for the base
    currency; for another currency it may stay empty until a sale is posted, which needs it.
    """

    document_type: str = ""

    number = models.CharField(_("number"), max_length=30)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    date = models.DateField(_("date"), db_index=True)
    # Indexed with the date (``document_indexes``), which also serves the foreign key.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    counterparty = models.ForeignKey(
        "partners.Counterparty",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RUB)
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        **RATE,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("Units of the base currency for one unit of the document's currency."),
    )
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    amount_net = models.DecimalField(
        _("amount without VAT"), **MONEY, default=Decimal("0.00"), editable=False
    )
    amount_vat = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0.00"), editable=False)
    amount_gross = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"), editable=False)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return _("%(type)s No. %(number)s of %(date)s") % {
            "type": DocumentType(self.document_type).label,
            "number": self.number,
            "date": date_format(self.date, "SHORT_DATE_FORMAT") if self.date else "—",
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.currency == settings.SDELKA_BASE_CURRENCY:
            self.exchange_rate = Decimal("1")
        if self.counterparty_id and self.partner_id and self.counterparty.partner_id != self.partner_id:
            errors["counterparty"] = _("The counterparty belongs to another partner.")
        if self.contract_id:
            if not self.counterparty_id:
                errors["contract"] = _("Choose the counterparty of the contract first.")
            elif self.contract.counterparty_id != self.counterparty_id:
                errors["contract"] = _("The contract belongs to another counterparty.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


class DocumentLine(models.Model):
    """A product, quantity and price of a document, with its discount, VAT rate and computed amounts."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    discount_percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    vat_rate = models.CharField(_("VAT rate"), max_length=10, choices=VatRate.choices)
    amount_discount = models.DecimalField(_("discount"), **MONEY, default=Decimal("0.00"))
    amount_net = models.DecimalField(_("amount without VAT"), **MONEY, default=Decimal("0.00"))
    amount_vat = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0.00"))
    amount_gross = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"))

    class Meta:
        abstract = True
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class Quote(Document):
    """A commercial proposal ("коммерческое предложение") to the client, valid until a date."""

    document_type = DocumentType.QUOTE

    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT, db_index=True
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # When it last became "sent": the "unanswered for N days" mailing rule counts from here.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Document.Meta):
        verbose_name = _("commercial proposal")
        verbose_name_plural = _("commercial proposals")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="quote_number_unique_in_year")]
        indexes = document_indexes("quote")

    def clean(self) -> None:
        super().clean()
        if self.valid_until and self.date and self.valid_until < self.date:
            raise ValidationError({"valid_until": _("A proposal cannot expire before its date.")})


class SalesOrder(Document):
    """A customer order ("заказ клиента"), made from a quote or a deal."""

    document_type = DocumentType.SALES_ORDER

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SalesOrderStatus.choices,
        default=SalesOrderStatus.DRAFT,
        db_index=True,
    )
    quote = models.ForeignKey(
        Quote,
        verbose_name=_("commercial proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales_orders",
    )
    shipment_date = models.DateField(_("shipment date"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Document.Meta):
        verbose_name = _("customer order")
        verbose_name_plural = _("customer orders")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="sales_order_number_unique_in_year")
        ]
        indexes = document_indexes("sales_order")


class Sale(Document):
    """A sale of goods and services ("реализация"); posting it records the sales facts.

    A return is a sale with negative quantities.
    """

    document_type = DocumentType.SALE

    # Indexed for the sales not posted yet only (``Meta.indexes``): the posted are nearly all of them.
    status = models.CharField(
        _("status"), max_length=20, choices=SaleStatus.choices, default=SaleStatus.DRAFT
    )
    sales_order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
    )
    quote = models.ForeignKey(
        Quote,
        verbose_name=_("commercial proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    # A sale imported from another system keeps that system's number; the pair (client, number) is what a
    # repeated import of the same file recognises, so it adds nothing twice.
    external_number = models.CharField(
        _("number in the source system"), max_length=50, blank=True, editable=False
    )
    sales_import = models.ForeignKey(
        "documents.SalesImport",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sales",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Document.Meta):
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="sale_number_unique_in_year"),
            models.UniqueConstraint(
                fields=["partner", "external_number"],
                condition=~models.Q(external_number=""),
                name="sale_external_number_unique_per_client",
            ),
        ]
        indexes = [
            *document_indexes("sale"),
            models.Index(fields=["status"], condition=~models.Q(status="posted"), name="sale_not_posted"),
            models.Index(
                fields=["sales_order"], condition=models.Q(sales_order__isnull=False), name="sale_sales_order"
            ),
            models.Index(fields=["quote"], condition=models.Q(quote__isnull=False), name="sale_quote"),
        ]


class PurchaseOrder(Document):
    """An order to a supplier ("заказ поставщику"); ``partner`` is the supplier.

    For a deal whose kind keeps separate goods accounting, its prices are the cost of the deal's sales.
    """

    document_type = DocumentType.PURCHASE_ORDER

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseOrderStatus.choices,
        default=PurchaseOrderStatus.DRAFT,
        db_index=True,
    )
    sales_order = models.ForeignKey(
        SalesOrder,
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_orders",
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Document.Meta):
        verbose_name = _("supplier order")
        verbose_name_plural = _("supplier orders")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="purchase_order_number_unique_in_year")
        ]
        indexes = document_indexes("purchase_order")


class QuoteLine(DocumentLine):
    document = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")


class SalesOrderLine(DocumentLine):
    document = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")


class SaleLine(DocumentLine):
    document = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")


class PurchaseOrderLine(DocumentLine):
    document = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("supplier order line")
        verbose_name_plural = _("supplier order lines")


class SalesFact(models.Model):
    """One line of a posted sale as analytics read it: who bought what, when, for how much, at what cost.

    Written only when a sale is posted (and deleted when it is unposted), never edited. Amounts are in the
    base currency, revenue net of VAT. Ids are plain integers indexed for the reports' groupings; the table
    is meant to hold millions of rows, so it carries exactly what the reports group and sum by.
    """

    id = models.BigAutoField(primary_key=True)
    date = models.DateField(_("date"))
    # No foreign-key constraints in the database: facts are written only from posted sales by the services,
    # and checking six constraints per line at commit was a third of the time of importing a million lines
    # of history. Django still cascades and protects (``on_delete``) when records are deleted through it.
    sale = models.ForeignKey(
        Sale, verbose_name=_("sale"), on_delete=models.CASCADE, related_name="facts", db_constraint=False
    )
    # No single-column indexes where an index of the Meta begins with the column: each index is written for
    # every line of a sale, and the history import writes millions.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    counterparty = models.ForeignKey(
        "partners.Counterparty",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    revenue = models.DecimalField(_("revenue"), **MONEY)
    cost = models.DecimalField(_("cost"), **MONEY)
    gross_profit = models.DecimalField(_("gross profit"), **MONEY)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("sales fact")
        verbose_name_plural = _("sales facts")
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["partner", "date"]),
            models.Index(fields=["product", "date"]),
            models.Index(fields=["manager", "date"]),
            # Facts of imported history have no deal: indexed only where there is one.
            models.Index(fields=["deal"], condition=models.Q(deal__isnull=False), name="sales_fact_deal"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.partner_id} {self.product_id} {self.revenue}"


class DealExpense(TimeStampedModel):
    """Money spent to win or fulfil a deal (delivery, travel, commission…), in the base currency."""

    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="expenses"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("expense item"), max_length=20, choices=ExpenseKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("deal expense")
        verbose_name_plural = _("deal expenses")
        indexes = [models.Index(fields=["deal", "date"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="deal_expense_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import status", "Queued")
    VALIDATING = "validating", pgettext_lazy("import status", "Checking the file")
    IMPORTING = "importing", pgettext_lazy("import status", "Importing")
    DONE = "done", pgettext_lazy("import status", "Done")
    REFUSED = "refused", pgettext_lazy("import status", "Refused: the file has errors")
    FAILED = "failed", pgettext_lazy("import status", "Failed")


class SalesImport(models.Model):
    """One import of a sales-history file (CSV or XLSX from 1C or Excel): its file, progress and outcome.

    The file is kept in the database until the import ends, so whichever worker runs it can read it.
    ``errors`` holds the first bad rows as ``[row number, message]``; ``error_count`` counts all of them.
    """

    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), null=True, blank=True, editable=False)
    skip_bad = models.BooleanField(_("skip bad rows"), default=False)
    # The uploader's language: the worker writes the job's messages and bad rows' reasons in it.
    language = models.CharField(_("language"), max_length=10, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows done"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    sales_created = models.PositiveIntegerField(_("sales created"), default=0)
    lines_created = models.PositiveIntegerField(_("lines created"), default=0)
    partners_created = models.PositiveIntegerField(_("partners created"), default=0)
    products_created = models.PositiveIntegerField(_("products created"), default=0)
    documents_already_imported = models.PositiveIntegerField(_("documents imported before"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sales import")
        verbose_name_plural = _("sales imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0


class ImportedClientCode(models.Model):
    """The id a client has in the system sales were imported from (1C's "код"), so later files find it."""

    code = models.CharField(_("client id in the source system"), max_length=50, unique=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("imported client id")
        verbose_name_plural = _("imported client ids")

    def __str__(self) -> str:
        return self.code
