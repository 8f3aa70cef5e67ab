"""An in-app notification: what the bell in the top bar counts and lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    NONE = "", pgettext_lazy("e-mail", "Not sent")
    QUEUED = "queued", pgettext_lazy("e-mail", "Queued")
    SENT = "sent", pgettext_lazy("e-mail", "Sent")
    FAILED = "failed", pgettext_lazy("e-mail", "Failed")


class Notification(models.Model):
    """A notice to one user (a fired reminder, later a rule's nudge), unread until ``read_at`` is set.

    ``link`` is the page of the record, taken when the notice is made, so that listing notices needs no
    look-up of their records. A copy by e-mail records its outcome in ``email_status``/``email_error``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField(_("text"), max_length=1000)
    link = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    reminder = models.ForeignKey(
        "activities.Reminder",
        verbose_name=_("reminder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus, default=EmailStatus.NONE, blank=True
    )
    email_error = models.TextField(_("e-mail error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
