"""Contracts with counterparties; the documents of a deal (quotes, orders, sales) come with their issue."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.core.choices import Currency
from sdelka.core.models import TimeStampedModel
from sdelka.documents.choices import ContractStatus


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
        return _("Contract No. %(number)s of %(date)s") % {"number": self.number, "date": self.date}

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
