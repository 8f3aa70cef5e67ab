"""The public web-to-lead form: its settings, UTM mappings and submissions (models)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sdelka.core.models import TimeStampedModel

__all__ = ["UTM_FIELDS", "LeadForm", "LeadOutcome", "LeadSubmission", "UtmMapping", "new_lead_form_token"]

#: the query-string parameters a mapping compares, in the order of the mapping's fields
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign")


def new_lead_form_token() -> str:
    """An unguessable public id for the form's URL (128 random bits): the id of the record is not enough."""
    return secrets.token_urlsafe(16)


class LeadOutcome(models.TextChoices):
    CREATED = "created", pgettext_lazy("lead outcome", "New client created")
    MATCHED = "matched", pgettext_lazy("lead outcome", "Matched an existing partner")
    SPAM = "spam", pgettext_lazy("lead outcome", "Rejected as spam")


class LeadForm(TimeStampedModel):
    """Settings of one public request form ("web-to-lead"): who gets the leads and as what kind of deal.

    The page is ``/lead/<token>/``; the token, not the id, is public, so forms cannot be enumerated.
    ``allowed_origins`` (one per line) limits which sites may show the form in a frame; empty: any site.
    """

    name = models.CharField(_("name"), max_length=150)
    token = models.CharField(_("public token"), max_length=43, unique=True, default=new_lead_form_token)
    active = models.BooleanField(_("active"), default=True)
    deal_kind = models.ForeignKey(
        "deals.DealKind", verbose_name=_("deal kind"), on_delete=models.PROTECT, related_name="lead_forms"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible manager"),
        on_delete=models.PROTECT,
        related_name="lead_forms",
        help_text=_("New clients and their deals go to this manager."),
    )
    default_channel = models.ForeignKey(
        "marketing.AdChannel",
        verbose_name=_("default channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_forms",
        help_text=_("The primary interest channel when no UTM mapping matches."),
    )
    title = models.CharField(_("heading of the page"), max_length=255, blank=True)
    consent_text = models.CharField(
        _("consent text"),
        max_length=500,
        blank=True,
        help_text=_("The label of the consent checkbox; empty: a standard text."),
    )
    thank_you_text = models.TextField(
        _("thank-you text"), blank=True, help_text=_("Shown after sending; empty: a standard text.")
    )
    allowed_origins = models.TextField(
        _("sites allowed to embed the form"),
        blank=True,
        help_text=_("One per line, like https://example.com; empty: any site may show the form in a frame."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip() for line in (self.allowed_origins or "").splitlines() if line.strip()]


class UtmMapping(models.Model):
    """Which channel (and marketing event) a visit's UTM tags mean.

    A blank pattern matches any value; a filled one matches its value exactly, ignoring case. Of several
    matching mappings the one with more filled patterns wins, then the form's own over a global one.
    """

    form = models.ForeignKey(
        LeadForm,
        verbose_name=_("web form"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="utm_mappings",
        help_text=_("Empty: the mapping applies to every form."),
    )
    utm_source = models.CharField("utm_source", max_length=100, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=100, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=100, blank=True)
    channel = models.ForeignKey(
        "marketing.AdChannel",
        verbose_name=_("advertising channel"),
        on_delete=models.PROTECT,
        related_name="utm_mappings",
    )
    event = models.ForeignKey(
        "marketing.MarketingEvent",
        verbose_name=_("marketing event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="utm_mappings",
        help_text=_("The source, for a channel whose sources are marketing events."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["form__name", "utm_source", "utm_medium", "utm_campaign", "id"]
        verbose_name = _("UTM mapping")
        verbose_name_plural = _("UTM mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["form", *UTM_FIELDS],
                condition=models.Q(form__isnull=False),
                name="utm_mapping_unique_in_form",
            ),
            models.UniqueConstraint(
                fields=list(UTM_FIELDS),
                condition=models.Q(form__isnull=True),
                name="utm_mapping_unique_global",
            ),
        ]

    def __str__(self) -> str:
        patterns = " / ".join(getattr(self, field) or "*" for field in UTM_FIELDS)
        return f"{patterns} → {self.channel_id and self.channel}"

    @property
    def specificity(self) -> int:
        return sum(1 for field in UTM_FIELDS if getattr(self, field))


class LeadSubmission(models.Model):
    """One sending of a public form, kept as the log: what was sent, from where, and what it became."""

    form = models.ForeignKey(
        LeadForm, verbose_name=_("web form"), on_delete=models.PROTECT, related_name="submissions"
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=LeadOutcome.choices)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.ForeignKey(
        "partners.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("web form submission")
        verbose_name_plural = _("web form submissions")
        # The rate limit counts a client address's recent submissions.
        indexes = [models.Index(fields=["ip_address", "created_at"], name="lead_submission_ip_time")]

    def __str__(self) -> str:
        return f"{self.form_id} {self.created_at:%Y-%m-%d %H:%M} {self.outcome}"
