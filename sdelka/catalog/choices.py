from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Service")


class Unit(models.TextChoices):
    """Units of measure by their Russian classifier (ОКЕИ) short names."""

    PIECE = "pcs", _("pcs")
    KILOGRAM = "kg", _("kg")
    TONNE = "t", _("t")
    METRE = "m", _("m")
    SQUARE_METRE = "m2", _("m²")
    CUBIC_METRE = "m3", _("m³")
    LITRE = "l", _("l")
    PACK = "pack", _("pack")
    SET = "set", _("set")
    HOUR = "h", _("hour")
    SERVICE = "service", _("service")


class VatRate(models.TextChoices):
    """VAT rates of Russia (0, 5, 7, 10, 20, 22 %) and Kazakhstan (12, 16 %), and "without VAT"."""

    WITHOUT = "without", _("Without VAT")
    ZERO = "0", _("0%")
    FIVE = "5", _("5%")
    SEVEN = "7", _("7%")
    TEN = "10", _("10%")
    TWELVE = "12", _("12%")
    SIXTEEN = "16", _("16%")
    TWENTY = "20", _("20%")
    TWENTY_TWO = "22", _("22%")


def vat_percent(rate: str) -> Decimal:
    """The rate as a number of percent; "without VAT" is 0."""
    return Decimal(0) if rate == VatRate.WITHOUT else Decimal(rate)
