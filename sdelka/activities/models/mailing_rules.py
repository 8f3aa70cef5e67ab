"""Trigger mailings and status reminders (BIT.CRM's "триггерные рассылки"): a rule is a trigger and an action.

The worker looks for the rule's events (``sdelka.activities.triggers``) and acts once per event: the
``MailingRuleFiring`` row of (rule, event key) is written in the same transaction as what the action makes,
and the pair is unique, so a second worker, a repeated run or a run after a crash never acts twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sdelka.core.models import TimeStampedModel


class RuleTrigger(models.TextChoices):
    DEAL_STAGE_ENTERED = "deal_stage_entered", _("A deal enters a stage")
    DEAL_IDLE = "deal_idle", _("A deal is idle for N days")
    QUOTE_UNANSWERED = "quote_unanswered", _("A commercial proposal is sent and unanswered for N days")
    CLAIM_REGISTERED = "claim_registered", _("A customer claim is registered")
    CLAIM_SETTLED = "claim_settled", _("A customer claim is settled")
    CONTACT_BIRTHDAY = "contact_birthday", _("A contact person's birthday")


class RuleAction(models.TextChoices):
    SEND_EMAIL = "send_email", _("Send an e-mail to the client's contact persons")
    NOTIFY_MANAGER = "notify_manager", _("Notify the responsible manager")
    CREATE_TASK = "create_task", _("Create a task for the responsible manager")


class FiringOutcome(models.TextChoices):
    DONE = "done", pgettext_lazy("rule firing", "Done")
    SKIPPED = "skipped", pgettext_lazy("rule firing", "Skipped")


class MailingRule(TimeStampedModel):
    """When something happens to a client's records, do something: a letter, a notice or a task.

    ``days`` is N for the idle and unanswered triggers and how many days ahead for a birthday (0 = on the
    day). Events that happened before ``active_since`` (when the rule was made or switched on) are not acted
    on, so a new rule does not write to every client whose deal ever entered the stage.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    active_since = models.DateTimeField(_("active since"), null=True, blank=True, editable=False)
    trigger = models.CharField(_("trigger"), max_length=30, choices=RuleTrigger.choices)
    deal_kind = models.ForeignKey(
        "deals.DealKind",
        verbose_name=_("deal kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.ForeignKey(
        "deals.Stage",
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    action = models.CharField(_("action"), max_length=20, choices=RuleAction.choices)
    email_template = models.ForeignKey(
        "interactions.EmailTemplate",
        verbose_name=_("e-mail template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailing_rules",
    )
    text = models.CharField(
        _("notice or task text"),
        max_length=255,
        blank=True,
        help_text=_(
            "The notice's text or the task's title; placeholders like {{ partner.name }} are allowed."
        ),
    )
    task_due_days = models.PositiveSmallIntegerField(_("task due in, days"), default=1)
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
        verbose_name = _("mailing rule")
        verbose_name_plural = _("mailing rules")

    def __str__(self) -> str:
        return self.name


class MailingRuleFiring(models.Model):
    """One event a rule acted on (or skipped, with the reason): the guard against acting twice, and the log."""

    rule = models.ForeignKey(
        MailingRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="firings"
    )
    event_key = models.CharField(_("event"), max_length=100)
    fired_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    outcome = models.CharField(_("outcome"), max_length=10, choices=FiringOutcome.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    interactions = models.ManyToManyField(
        "interactions.Interaction", verbose_name=_("letters"), blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "activities.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notification = models.ForeignKey(
        "activities.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fired_at", "-id"]
        verbose_name = _("rule firing")
        verbose_name_plural = _("rule firings")
        constraints = [
            models.UniqueConstraint(fields=["rule", "event_key"], name="mailing_rule_fires_once_per_event")
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.event_key}"
