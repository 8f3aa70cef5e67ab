"""Deals with clients ("сделка с клиентом"), their kinds and stages, goods of interest and timeline.

A deal is not an accounting document: saving it posts nothing. Every change of its stage, status,
manager or amount goes through ``sdelka.deals.services``, which also writes the ``DealEvent`` rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.core.choices import Currency
from sdelka.core.models import TimeStampedModel
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.marketing.interest import PrimaryInterest, at_most_one_source

MONEY = {"max_digits": 15, "decimal_places": 2}
QUANTITY = {"max_digits": 15, "decimal_places": 3}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class DealKind(TimeStampedModel):
    """Settings of a class of deals ("вид сделки"): how it moves through stages, and its options."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    process_type = models.CharField(
        _("process type"), max_length=20, choices=ProcessType.choices, default=ProcessType.MANUAL
    )
    separate_goods_accounting = models.BooleanField(_("separate accounting of goods"), default=False)
    record_primary_demand = models.BooleanField(_("record primary demand"), default=False)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("deal kind")
        verbose_name_plural = _("deal kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def has_stages(self) -> bool:
        return self.process_type != ProcessType.NON_PROCESS


class Stage(models.Model):
    """A step of a deal kind's process ("этап"); ``order`` sorts the steps, ``probability`` is the default
    chance of winning a deal at this step."""

    kind = models.ForeignKey(
        DealKind, verbose_name=_("deal kind"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveIntegerField(_("order"))
    probability = models.PositiveSmallIntegerField(_("probability, %"), default=0, validators=PERCENT)

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "order"], name="stage_order_unique_in_kind"),
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="stage_probability_le_100"),
        ]

    def __str__(self) -> str:
        return self.name


class LostReason(models.Model):
    """Why a deal was lost ("причина проигрыша"); required to mark a deal lost."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")

    def __str__(self) -> str:
        return self.name


class DealNumberCounter(models.Model):
    """The last deal number given in a year; locked row by row so two new deals never share a number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("deal number counter")
        verbose_name_plural = _("deal number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Deal(PrimaryInterest, TimeStampedModel):
    """A multi-step sale to a client ("сделка с клиентом").

    ``number`` is "<year>-<sequence of the year>" ("2026-000123"), given on creation. ``version`` grows with
    every write; a write made from a stale version is refused, so two users never overwrite each other.
    ``probability`` follows the stage unless a user set it (``probability_manual``).
    The primary interest defaults to the client's when the deal is created without one.
    """

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=255)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("client"), on_delete=models.PROTECT, related_name="deals"
    )
    counterparty = models.ForeignKey(
        "partners.Counterparty",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    contacts = models.ManyToManyField(
        "partners.ContactPerson", verbose_name=_("contact persons"), blank=True, related_name="deals"
    )
    kind = models.ForeignKey(
        DealKind, verbose_name=_("deal kind"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DealStatus.choices, default=DealStatus.IN_PROGRESS, db_index=True
    )
    closed = models.BooleanField(_("closed"), default=False, db_index=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="managed_deals",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collaborators"),
        blank=True,
        related_name="deals_taking_part",
    )
    probability = models.PositiveSmallIntegerField(_("probability, %"), default=0, validators=PERCENT)
    probability_manual = models.BooleanField(_("probability set by hand"), default=False)
    expected_amount = models.DecimalField(
        _("expected amount"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RUB)
    start_date = models.DateField(_("start date"), db_index=True)
    planned_close_date = models.DateField(_("planned close date"), null=True, blank=True)
    actual_close_date = models.DateField(_("actual close date"), null=True, blank=True)
    contract = models.ForeignKey(
        "documents.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    lost_reason = models.ForeignKey(
        LostReason,
        verbose_name=_("lost reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
    )
    competitor = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("competitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals_won_against_us",
    )
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(fields=["manager", "status"]),
            models.Index(fields=["kind", "stage"]),
            models.Index(fields=["partner", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_amount__gte=0), name="deal_amount_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="deal_probability_le_100"),
            models.CheckConstraint(
                condition=~models.Q(status=DealStatus.LOST) | models.Q(lost_reason__isnull=False),
                name="deal_lost_has_a_reason",
            ),
            at_most_one_source("deal_primary_interest_one_source"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.counterparty_id and self.partner_id and self.counterparty.partner_id != self.partner_id:
            errors["counterparty"] = _("The counterparty belongs to another partner.")
        if self.contract_id and self.contract.counterparty_id != self.counterparty_id:
            errors["contract"] = _("The contract belongs to another counterparty.")
        if self.stage_id and self.kind_id and self.stage.kind_id != self.kind_id:
            errors["stage"] = _("The stage belongs to another deal kind.")
        if self.competitor_id and not self.competitor.is_competitor:
            errors["competitor"] = _("This partner is not marked as a competitor.")
        if self.start_date and self.planned_close_date and self.planned_close_date < self.start_date:
            errors["planned_close_date"] = _("The planned close date is before the start date.")
        if self.status == DealStatus.LOST and not self.lost_reason_id:
            errors["lost_reason"] = _("Give the reason the deal was lost.")
        if errors:
            raise ValidationError(errors)


class DealParticipant(models.Model):
    """A partner taking part in a deal besides the client ("окружение сделки"): an agent, a designer…"""

    deal = models.ForeignKey(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="participants"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="deal_participations",
    )
    role = models.CharField(_("role"), max_length=150, blank=True)

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("deal participant")
        verbose_name_plural = _("deal participants")

    def __str__(self) -> str:
        return f"{self.partner} ({self.role})" if self.role else str(self.partner)


class DealLine(models.Model):
    """A product with a quantity and a price; the goods of interest and the primary demand share it."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"), **QUANTITY, validators=[MinValueValidator(Decimal("0.001"))]
    )
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.price).quantize(Decimal("0.01"))


class DealProduct(DealLine):
    """A product the client is interested in ("товары сделки"), with the quantity and the offered price."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="products")

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("product of interest")
        verbose_name_plural = _("products of interest")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="deal_product_quantity_positive"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="deal_product_price_not_negative"),
        ]


class PrimaryDemandLine(DealLine):
    """What the client first asked for ("первичный спрос"), copied once from the goods of interest and never
    changed after, so it can be compared with what was sold."""

    deal = models.ForeignKey(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="primary_demand"
    )

    class Meta:
        ordering = ["deal", "id"]
        verbose_name = _("primary demand line")
        verbose_name_plural = _("primary demand lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="primary_demand_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="primary_demand_price_not_negative"
            ),
        ]


class DealEvent(models.Model):
    """One change of a deal on its timeline: who, when, what from and to.

    Written only by the services, one row per change; funnel conversion and time-in-stage are read from here.
    """

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=20, choices=DealEventKind.choices)
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("from stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to stage"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=DealStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=DealStatus.choices, blank=True)
    from_value = models.CharField(_("from value"), max_length=255, blank=True)
    to_value = models.CharField(_("to value"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("deal event")
        verbose_name_plural = _("deal events")
        indexes = [
            models.Index(fields=["deal", "at"]),
            models.Index(fields=["kind", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
