"""Products (goods and services) and their hierarchical groups."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.catalog.choices import ProductKind, Unit, VatRate
from sdelka.core.models import CatalogGroup, TimeStampedModel

MONEY = {"max_digits": 15, "decimal_places": 2}


class ProductGroup(CatalogGroup):
    """A folder of the products catalog ("Pumps / Centrifugal"); any depth."""

    history = HistoricalRecords()

    class Meta(CatalogGroup.Meta):
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")


class Product(TimeStampedModel):
    """Goods or a service we sell ("номенклатура"). Money is Decimal; ``price`` is the list price with VAT."""

    sku = models.CharField(_("SKU"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=ProductKind.choices, default=ProductKind.GOODS)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    price = models.DecimalField(
        _("price"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    cost_price = models.DecimalField(
        _("cost price"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    vat_rate = models.CharField(
        _("VAT rate"), max_length=10, choices=VatRate.choices, default=VatRate.TWENTY_TWO
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["group", "name"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(cost_price__gte=0), name="product_cost_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost_price
