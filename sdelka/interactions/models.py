"""Interactions with partners ("взаимодействия"): calls, e-mails, meetings, planned interactions, SMS."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.core.models import TimeStampedModel
from sdelka.core.validators import validate_email_list
from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind, PlannedStatus


class Interaction(TimeStampedModel):
    """One contact with a partner: a call, an e-mail, a meeting, a planned interaction or an SMS.

    ``subject`` is what the interaction is about (a deal, a document, or another interaction — the last
    makes a chain that can be followed both ways); only the types of ``sdelka.interactions.subjects`` are
    allowed. ``deal`` is the deal the subject belongs to, kept by the services so that the deal's timeline
    and the record scope are plain indexed filters. "To review" is driven by ``reviewed`` and
    ``review_after``. The e-mail fields are used by e-mails only; an outgoing e-mail is sent by the worker
    (``sdelka.interactions.tasks``) and its ``email_status`` says how far it got.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, blank=True)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration, seconds"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="interactions"
    )
    contacts = models.ManyToManyField(
        "partners.ContactPerson", verbose_name=_("contact persons"), blank=True, related_name="interactions"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
        editable=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=PlannedStatus.choices, blank=True)
    reviewed = models.BooleanField(_("reviewed"), default=False)
    review_after = models.DateField(_("review after"), null=True, blank=True)
    email_from = models.EmailField(_("from"), max_length=254, blank=True)
    email_to = models.JSONField(_("to"), default=list, blank=True, validators=[validate_email_list])
    email_cc = models.JSONField(_("copy to"), default=list, blank=True, validators=[validate_email_list])
    email_status = models.CharField(
        _("sending status"), max_length=10, choices=EmailStatus.choices, blank=True
    )
    email_error = models.TextField(_("sending error"), blank=True)
    email_sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attached_quote = models.ForeignKey(
        "documents.Quote",
        verbose_name=_("attached commercial proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attachment_language = models.CharField(_("language of the attachment"), max_length=10, blank=True)
    # Set on automatic letters: sent as the List-Unsubscribe header, so mail programs offer the link too.
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[contacts])

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["partner", "starts_at"]),
            models.Index(fields=["deal", "starts_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["responsible", "reviewed", "review_after"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject_type__isnull=True, subject_id__isnull=True)
                | models.Q(subject_type__isnull=False, subject_id__isnull=False),
                name="interaction_subject_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"

    @property
    def is_email(self) -> bool:
        return self.kind == InteractionKind.EMAIL

    @property
    def can_be_sent(self) -> bool:
        """A draft or failed outgoing e-mail can be (re)queued; a queued or sent one never twice."""
        return (
            self.is_email
            and self.direction == Direction.OUTGOING
            and self.email_status in (EmailStatus.DRAFT, EmailStatus.FAILED)
        )

    @property
    def is_due_for_review(self) -> bool:
        from django.utils import timezone

        return not self.reviewed and (self.review_after is None or self.review_after <= timezone.localdate())


class EmailTemplate(TimeStampedModel):
    """A letter with placeholders (``{{ partner.name }}``…) sent by mailing rules and mailings.

    Placeholders are looked up in a fixed list (``sdelka.interactions.letters.PLACEHOLDERS``) and replaced by
    plain text; no template language runs, so a template can never execute code or reach other data.
    ``language`` decides how numbers, money and dates are written in it.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    subject = models.CharField(_("e-mail subject"), max_length=255)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")

    def __str__(self) -> str:
        return self.name


class EmailOptOut(models.Model):
    """An address that asked to receive no more automatic letters (the unsubscribe link, or by hand).

    Kept per address, lower-cased, because the same person may be a contact of several partners.
    """

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    opted_out_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)
    source = models.CharField(_("how"), max_length=20, default="link")

    class Meta:
        ordering = ["-opted_out_at"]
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")

    def __str__(self) -> str:
        return self.email
