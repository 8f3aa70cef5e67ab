"""Advertising channels, marketing events with their participants and expenses.

The primary interest fields that partners and deals carry are in ``sdelka.marketing.interest``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.core.models import CatalogGroup, TimeStampedModel
from sdelka.marketing.choices import EventKind, ParticipantStatus, SourceType

MONEY = {"max_digits": 15, "decimal_places": 2}


class AdChannel(CatalogGroup):
    """Where interest comes from ("канал рекламных воздействий"): exhibitions, internet, referral…; any depth.

    ``source_type`` says what kind of record the source of an interest through this channel is (the
    exhibition of "Exhibitions" is a marketing event, the referrer of "Referral" a partner); empty: the
    channel has no sources.
    """

    source_type = models.CharField(
        _("source type"), max_length=20, choices=SourceType.choices, blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(CatalogGroup.Meta):
        verbose_name = _("advertising channel")
        verbose_name_plural = _("advertising channels")


class MarketingEvent(TimeStampedModel):
    """A promotion, exhibition or campaign ("маркетинговое мероприятие") and what was spent on it.

    The target audience is the partners of its segments, and a description in words.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="marketing_events",
    )
    channel = models.ForeignKey(
        AdChannel,
        verbose_name=_("advertising channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    audience = models.TextField(_("target audience"), blank=True)
    segments = models.ManyToManyField(
        "partners.Segment", verbose_name=_("target segments"), blank=True, related_name="marketing_events"
    )
    planned_budget = models.DecimalField(
        _("planned budget"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("marketing event")
        verbose_name_plural = _("marketing events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="marketing_event_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_budget__gte=0), name="marketing_event_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class MarketingEventExpense(models.Model):
    """One actual expense of an event: a date, what it was for, an amount."""

    event = models.ForeignKey(
        MarketingEvent, verbose_name=_("marketing event"), on_delete=models.CASCADE, related_name="expenses"
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=255)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "date", "id"]
        verbose_name = _("marketing event expense")
        verbose_name_plural = _("marketing event expenses")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="marketing_expense_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.description} {self.amount}"


class MarketingEventParticipant(TimeStampedModel):
    """A partner (and, when known, its contact person) taking part in an event, with their status.

    A partner takes part once per event, and so does a contact person; the contact's partner is always
    the participant's ``partner`` (the service sets it).
    """

    event = models.ForeignKey(
        MarketingEvent,
        verbose_name=_("marketing event"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="marketing_participations",
    )
    contact = models.ForeignKey(
        "partners.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="marketing_participations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["event", "partner__name", "id"]
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "partner"],
                condition=models.Q(contact__isnull=True),
                name="marketing_participant_partner_once",
            ),
            models.UniqueConstraint(
                fields=["event", "contact"],
                condition=models.Q(contact__isnull=False),
                name="marketing_participant_contact_once",
            ),
        ]
        indexes = [models.Index(fields=["partner", "event"])]

    def __str__(self) -> str:
        return f"{self.partner} — {self.contact}" if self.contact_id else str(self.partner)


# Models kept in their own modules, registered with the app through this one.
from sdelka.marketing.mailing_models import *  # noqa: E402, F403
from sdelka.marketing.weblead_models import *  # noqa: E402, F403
