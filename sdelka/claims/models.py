"""Customer claims ("претензия клиента"): a complaint of a client and how it was settled.

A claim is numbered per year like the documents ("2026-000012"), is about a partner (and optionally its
counterparty, a sale or customer order it is based on, a deal and products), and goes registered → in
progress → settled; settling needs a result. Every write goes through ``sdelka.claims.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.claims.choices import ClaimResult, ClaimStatus
from sdelka.core.models import TimeStampedModel

MONEY = {"max_digits": 15, "decimal_places": 2}


class ClaimNumberCounter(models.Model):
    """The last claim number given in a year; its row is locked so two new claims never share a number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("claim number counter")
        verbose_name_plural = _("claim number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Claim(TimeStampedModel):
    """A client's complaint and its handling. ``basis`` is a sale or a customer order of the same partner."""

    number = models.CharField(_("number"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="claims"
    )
    counterparty = models.ForeignKey(
        "partners.Counterparty",
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    sale = models.ForeignKey(
        "documents.Sale",
        verbose_name=_("sale"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    sales_order = models.ForeignKey(
        "documents.SalesOrder",
        verbose_name=_("customer order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("products"), blank=True, related_name="claims"
    )
    description = models.TextField(_("description"))
    demand = models.TextField(_("the client's demand"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.REGISTERED,
        db_index=True,
    )
    result = models.CharField(_("result"), max_length=20, choices=ClaimResult.choices, blank=True)
    settlement_comment = models.TextField(_("settlement comment"), blank=True)
    compensation = models.DecimalField(
        _("compensation amount"),
        **MONEY,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[products])

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("customer claim")
        verbose_name_plural = _("customer claims")
        indexes = [models.Index(fields=["responsible", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="claim_number_unique_in_year"),
            models.CheckConstraint(
                condition=models.Q(compensation__gte=0), name="claim_compensation_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ClaimStatus.SETTLED) | ~models.Q(result=""),
                name="claim_settled_has_a_result",
            ),
        ]

    def __str__(self) -> str:
        return _("Claim %(number)s") % {"number": self.number}

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.partner_id:
            if self.counterparty_id and self.counterparty.partner_id != self.partner_id:
                errors["counterparty"] = _("The counterparty belongs to another partner.")
            if self.sale_id and self.sale.partner_id != self.partner_id:
                errors["sale"] = _("The sale is of another partner.")
            if self.sales_order_id and self.sales_order.partner_id != self.partner_id:
                errors["sales_order"] = _("The customer order is of another partner.")
            if self.deal_id and self.deal.partner_id != self.partner_id:
                errors["deal"] = _("The deal is with another partner.")
        if self.status == ClaimStatus.SETTLED and not self.result:
            errors["result"] = _("Give the result of the claim to settle it.")
        if self.result == ClaimResult.REJECTED and self.compensation:
            errors["compensation"] = _("A rejected claim gets no compensation.")
        if self.deadline and self.registered_at and self.deadline < timezone.localdate(self.registered_at):
            errors["deadline"] = _("The deadline is before the claim was registered.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.status != ClaimStatus.SETTLED and self.deadline < timezone.localdate()
