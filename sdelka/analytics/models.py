"""Analytics' own derived tables: per-month sales aggregates, classification settings and stored classes.

Analytics never writes business records; these tables are derived from the sales facts (and can be rebuilt
from them at any time with ``manage.py analytics_rebuild``) or are the settings of the reports.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.analytics.choices import (
    AbcClass,
    Criterion,
    JobStatus,
    PeriodType,
    Stage,
    Subject,
    XyzClass,
)
from sdelka.core.models import TimeStampedModel

MONEY = {"max_digits": 17, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class SalesMonth(models.Model):
    """The sales of one subject in one calendar month, summed from the sales facts.

    Kept current by ``sales_aggregates_refresh`` (called when a sale is posted or unposted and after bulk
    loads), so that a classification over a year reads twelve rows per subject instead of every sale line.
    ``sales_count`` is the number of distinct posted sale documents (returns included).
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revenue = models.DecimalField(_("revenue"), **MONEY)
    cost = models.DecimalField(_("cost"), **MONEY)
    gross_profit = models.DecimalField(_("gross profit"), **MONEY)
    sales_count = models.PositiveIntegerField(_("sale documents"))

    class Meta:
        abstract = True


class ClientMonth(SalesMonth):
    """A client's sales in a month."""

    # The unique (partner, month) index serves the foreign key: no index of its own. Written only by the
    # aggregate services, from facts, which keep no constraints either (see ``SalesFact``): no check per
    # cell at commit; Django still deletes a client's cells with it.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("client's sales in a month")
        verbose_name_plural = _("clients' sales by month")
        constraints = [models.UniqueConstraint(fields=["partner", "month"], name="client_month_unique")]
        indexes = [models.Index(fields=["month", "partner"], name="client_month_by_month")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.month:%Y-%m} {self.revenue}"


class ProductMonth(SalesMonth):
    """A product's sales in a month."""

    # The unique (product, month) index serves the foreign key: no index of its own. Written only by the
    # aggregate services, from facts, which keep no constraints either (see ``SalesFact``): no check per
    # cell at commit; Django still deletes a product's cells with it.
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("product's sales in a month")
        verbose_name_plural = _("products' sales by month")
        constraints = [models.UniqueConstraint(fields=["product", "month"], name="product_month_unique")]
        indexes = [models.Index(fields=["month", "product"], name="product_month_by_month")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.month:%Y-%m} {self.revenue}"


def _cell_field(cell: str) -> models.CharField:
    # Lazy all the way: "%" on a lazy string would translate it once, at import, in whatever language is on.
    return models.CharField(format_lazy("{} {}", _("name of cell"), cell), max_length=100, blank=True)


class ClassificationSettings(TimeStampedModel):
    """The boundaries and names of the ABC/XYZ classification; one record (``pk = SETTINGS_PK``).

    Before the first save the defaults apply (80/95, 10/25, revenue). A blank cell name means the default
    name of that cell (AX "cash cows", AZ "stars", CX "dogs", CZ "question marks"; the others none).
    """

    SETTINGS_PK = 1

    abc_a = models.DecimalField(_("A: cumulative share up to, %"), default=Decimal("80"), **PERCENT)
    abc_b = models.DecimalField(_("B: cumulative share up to, %"), default=Decimal("95"), **PERCENT)
    xyz_x = models.DecimalField(_("X: variation coefficient up to, %"), default=Decimal("10"), **PERCENT)
    xyz_y = models.DecimalField(_("Y: variation coefficient up to, %"), default=Decimal("25"), **PERCENT)
    criterion = models.CharField(
        _("default criterion"), max_length=20, choices=Criterion.choices, default=Criterion.REVENUE
    )
    name_ax = _cell_field("AX")
    name_ay = _cell_field("AY")
    name_az = _cell_field("AZ")
    name_bx = _cell_field("BX")
    name_by = _cell_field("BY")
    name_bz = _cell_field("BZ")
    name_cx = _cell_field("CX")
    name_cy = _cell_field("CY")
    name_cz = _cell_field("CZ")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("classification settings")
        verbose_name_plural = _("classification settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="classification_settings_single")
        ]

    def __str__(self) -> str:
        return str(_("Classification settings"))

    @staticmethod
    def cell_field(cell: str) -> str:
        return f"name_{cell.lower()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.abc_a is not None and self.abc_b is not None:
            if self.abc_a <= 0:
                errors["abc_a"] = _("The A boundary must be above 0%.")
            elif self.abc_a >= self.abc_b:
                errors["abc_b"] = _("The B boundary must be above the A boundary.")
        if self.xyz_x is not None and self.xyz_y is not None and self.xyz_x >= self.xyz_y:
            errors["xyz_y"] = _("The Y boundary must be above the X boundary.")
        if errors:
            raise ValidationError(errors)


class ClassifiedPeriod(models.Model):
    """A period whose classes are stored: its rows are in ``ClassificationResult`` (possibly none)."""

    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("period start"))
    classified_at = models.DateTimeField(_("classified at"))
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("classified period")
        verbose_name_plural = _("classified periods")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "criterion", "period_type", "period_start"],
                name="classified_period_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.criterion} {self.period_type} {self.period_start}"


class ClassificationResult(models.Model):
    """One subject's classes in one stored period: what the report showed when the period was classified."""

    period = models.ForeignKey(
        ClassifiedPeriod,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,  # the (period, position) index serves it
    )
    subject_id = models.BigIntegerField(_("subject id"), help_text=_("A partner's or a product's id."))
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveIntegerField(_("position"))
    value = models.DecimalField(_("value"), null=True, **MONEY)
    revenue = models.DecimalField(_("revenue"), null=True, **MONEY)
    share = models.FloatField(_("share, %"), null=True)
    cumulative_share = models.FloatField(_("cumulative share, %"), null=True)
    abc = models.CharField(_("ABC class"), max_length=1, choices=AbcClass.choices, blank=True)
    cv = models.FloatField(_("variation coefficient, %"), null=True)
    xyz = models.CharField(_("XYZ class"), max_length=1, choices=XyzClass.choices, blank=True)
    stage = models.CharField(_("relationship stage"), max_length=10, choices=Stage.choices, blank=True)
    cell = models.CharField(_("matrix cell"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("classification result")
        verbose_name_plural = _("classification results")
        ordering = ["period", "position"]
        indexes = [
            models.Index(fields=["subject_id", "period"], name="classification_by_subject"),
            # A report reads a page of a period's rows, or of one matrix cell's, in their order.
            models.Index(fields=["period", "position"], name="classification_by_position"),
            models.Index(fields=["period", "cell", "position"], name="classification_by_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.abc}{self.xyz}"


class ClassificationJob(models.Model):
    """A "classify all periods" run in the worker, with its progress for the settings page."""

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("periods in all"), default=0)
    done = models.PositiveIntegerField(_("periods done"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("classification run")
        verbose_name_plural = _("classification runs")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
