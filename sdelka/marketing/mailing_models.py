"""Mass mailings of an e-mail template to a segment's contact persons (models).

A mailing is a draft until it is started; starting it takes a snapshot of its recipients (one row per
distinct address), and from then on the worker sends the rows in batches. A row's status says how far its
letter got, so that a worker stopped at any moment never makes anyone receive the letter twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sdelka.core.models import TimeStampedModel

__all__ = ["Mailing", "MailingRecipient", "MailingRecipientStatus", "MailingStatus"]


class MailingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("mailing status", "Draft")
    SENDING = "sending", pgettext_lazy("mailing status", "Sending")
    DONE = "done", pgettext_lazy("mailing status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("mailing status", "Cancelled")


class MailingRecipientStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("mailing recipient status", "Waiting")
    SENDING = "sending", pgettext_lazy("mailing recipient status", "Being sent")
    SENT = "sent", pgettext_lazy("mailing recipient status", "Sent")
    FAILED = "failed", pgettext_lazy("mailing recipient status", "Failed")
    SKIPPED_UNSUBSCRIBED = "skipped_unsubscribed", _("Skipped: unsubscribed")
    CANCELLED = "cancelled", pgettext_lazy("mailing recipient status", "Cancelled")
    UNKNOWN = "unknown", pgettext_lazy("mailing recipient status", "Unknown")


class Mailing(TimeStampedModel):
    """An e-mail template sent to the contact persons of a segment's partners ("рассылка").

    The counts are kept on the row (updated by each batch) so the list and the progress bar read one row;
    the recipient rows are the truth they are counted from.
    """

    name = models.CharField(_("name"), max_length=255)
    email_template = models.ForeignKey(
        "interactions.EmailTemplate",
        verbose_name=_("e-mail template"),
        on_delete=models.PROTECT,
        related_name="mailings",
    )
    segment = models.ForeignKey(
        "partners.Segment", verbose_name=_("segment"), on_delete=models.PROTECT, related_name="mailings"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)
    total_count = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("sent"), default=0, editable=False)
    failed_count = models.PositiveIntegerField(_("failed"), default=0, editable=False)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "total_count", "sent_count", "failed_count", "skipped_count"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == MailingStatus.DRAFT

    @property
    def processed_count(self) -> int:
        """Rows whose outcome is known (sent, failed or skipped) — what the progress bar shows."""
        return self.sent_count + self.failed_count + self.skipped_count

    @property
    def progress_percent(self) -> int:
        if not self.total_count:
            return 100 if self.status in (MailingStatus.DONE, MailingStatus.CANCELLED) else 0
        return min(100, round(100 * self.processed_count / self.total_count))


class MailingRecipient(models.Model):
    """One address of a started mailing and what became of its letter.

    ``sending`` is set and committed before the letter goes out; a row found ``sending`` by a later run
    (its worker stopped mid-batch) becomes ``unknown`` and is never sent again: the letter may have left.
    """

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="recipients"
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        "partners.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), max_length=254)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MailingRecipientStatus.choices,
        default=MailingRecipientStatus.PENDING,
    )
    error = models.TextField(_("reason"), blank=True)
    interaction = models.ForeignKey(
        "interactions.Interaction",
        verbose_name=_("interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["mailing", "id"]
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="mailing_recipient_email_once")
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="mailing_recipient_by_status")]

    def __str__(self) -> str:
        return self.email
