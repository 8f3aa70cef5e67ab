"""Mailing rules: their writes (checked so that a saved rule can always act) and running them.

Running a rule acts on each new event in its own transaction: the firing row (unique per rule and event)
and what the action makes — letters recorded as outgoing e-mails and queued on commit, a notice, a task —
are committed together or not at all. So a worker stopped mid-run leaves each event either fully done or
untouched, and the next run, by any worker, picks up exactly the untouched ones.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.activities import triggers
from sdelka.activities.models import FiringOutcome, MailingRule, MailingRuleFiring, RuleAction, RuleTrigger
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.interactions import letters

logger = logging.getLogger(__name__)

RULE_FIELDS = (
    "name",
    "is_active",
    "trigger",
    "deal_kind",
    "stage",
    "days",
    "action",
    "email_template",
    "text",
    "task_due_days",
)
DEAL_TRIGGERS = (RuleTrigger.DEAL_STAGE_ENTERED, RuleTrigger.DEAL_IDLE)
DAYS_TRIGGERS = (RuleTrigger.DEAL_IDLE, RuleTrigger.QUOTE_UNANSWERED, RuleTrigger.CONTACT_BIRTHDAY)
MAX_BIRTHDAY_DAYS_AHEAD = 60


def _check(rule: MailingRule) -> None:
    """Every problem of the rule at once, each beside its field."""
    errors: dict[str, str] = {}
    trigger, action = rule.trigger, rule.action
    if trigger not in DEAL_TRIGGERS:
        if rule.deal_kind_id:
            errors["deal_kind"] = _("Only the deal triggers have a deal kind.")
        if rule.stage_id:
            errors["stage"] = _("Only the deal triggers have a stage.")
    if trigger == RuleTrigger.DEAL_STAGE_ENTERED and not rule.stage_id:
        errors["stage"] = _("Choose the stage the deal enters.")
    if rule.stage_id and rule.deal_kind_id and rule.stage.kind_id != rule.deal_kind_id:
        errors["stage"] = _("The stage belongs to another deal kind.")
    if trigger in (RuleTrigger.DEAL_IDLE, RuleTrigger.QUOTE_UNANSWERED) and rule.days < 1:
        errors["days"] = _("Give the number of days, at least 1.")
    elif trigger == RuleTrigger.CONTACT_BIRTHDAY and rule.days > MAX_BIRTHDAY_DAYS_AHEAD:
        errors["days"] = _("A birthday can be acted on at most %(days)s days ahead.") % {
            "days": MAX_BIRTHDAY_DAYS_AHEAD
        }
    elif trigger not in DAYS_TRIGGERS and rule.days:
        errors["days"] = _("This trigger has no number of days; leave it 0.")
    template = rule.email_template if rule.email_template_id else None
    if action == RuleAction.SEND_EMAIL:
        if template is None:
            errors["email_template"] = _("Choose the e-mail template to send.")
        elif not template.is_active:
            errors["email_template"] = _("The template is not active.")
    elif template is not None:
        errors["email_template"] = _("Only the e-mail action sends a template.")
    problems = letters.check_text(rule.text)
    if problems:
        errors["text"] = " ".join(problems)
    available = triggers.TRIGGER_OBJECTS.get(trigger, set())
    missing = letters.objects_used(rule.text) - available
    if template is not None:
        missing_in_template = letters.objects_used(template.subject, template.body) - available
        if missing_in_template and "email_template" not in errors:
            errors["email_template"] = _missing_message(missing_in_template, trigger)
    if missing and "text" not in errors:
        errors["text"] = _missing_message(missing, trigger)
    if errors:
        raise ValidationError(errors)


def _missing_message(objects: set[str], trigger: str) -> str:
    names = ", ".join(sorted(str(letters.OBJECTS[name][0]) for name in objects))
    return _("The event “%(trigger)s” has no %(objects)s to fill the placeholders with.") % {
        "trigger": RuleTrigger(trigger).label,
        "objects": names,
    }


def _activate(rule: MailingRule, *, was_active: bool) -> None:
    if rule.is_active and not was_active:
        rule.active_since = timezone.now()


@transaction.atomic
def mailing_rule_create(*, actor, data: dict) -> MailingRule:
    ensure_role_can(actor, "add", "mailing_rule")
    rule = MailingRule(created_by=actor if isinstance(actor, User) else None)
    model_assign(rule, data, RULE_FIELDS)
    rule.full_clean(exclude=["created_by"])
    _check(rule)
    _activate(rule, was_active=False)
    validate_and_save(rule, actor=actor)
    return rule


@transaction.atomic
def mailing_rule_update(*, actor, rule: MailingRule, data: dict) -> MailingRule:
    ensure_role_can(actor, "change", "mailing_rule")
    was_active = rule.is_active
    changed = model_assign(rule, data, RULE_FIELDS)
    rule.full_clean(exclude=["created_by"])
    _check(rule)
    _activate(rule, was_active=was_active)
    if changed:
        validate_and_save(rule, actor=actor)
    return rule


@transaction.atomic
def mailing_rule_delete(*, actor, rule: MailingRule) -> None:
    ensure_role_can(actor, "delete", "mailing_rule")
    rule._history_user = actor
    rule.delete()


def rules_check_template(template) -> None:
    """Refuse a template change that a rule sending it could not fill (its event lacks the records)."""
    for rule in MailingRule.objects.filter(email_template=template):
        missing = (
            letters.objects_used(template.subject, template.body) - triggers.TRIGGER_OBJECTS[rule.trigger]
        )
        if missing:
            raise ValidationError(
                {
                    "body": _("The rule “%(rule)s” sends this template: %(problem)s")
                    % {"rule": rule.name, "problem": _missing_message(missing, rule.trigger)}
                }
            )


# --- running ---------------------------------------------------------------------------------------------


def _responsible(rule: MailingRule, event: triggers.RuleEvent):
    """Who answers for the event: the record's manager, the partner's, the rule's author, an administrator."""
    for user in (event.manager, getattr(event.partner, "manager", None), rule.created_by):
        if user is not None and user.is_active:
            return user
    return User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk").first()


def _link(record) -> str:
    from sdelka.claims.models import Claim
    from sdelka.deals.models import Deal
    from sdelka.partners.models import Partner

    if isinstance(record, Deal):
        return reverse("deals:deal_detail", args=[record.pk])
    if isinstance(record, Claim):
        return reverse("claims:claim_detail", args=[record.pk])
    if isinstance(record, Partner):
        return reverse("partners:partner_detail", args=[record.pk])
    return ""


def _context(
    event: triggers.RuleEvent, *, contact, manager, unsubscribe_url: str = ""
) -> letters.LetterContext:
    from sdelka.core.company import company_get

    return letters.LetterContext(
        partner=event.partner,
        contact=contact,
        deal=event.deal,
        quote=event.quote,
        claim=event.claim,
        manager=manager,
        company=company_get(),
        unsubscribe_url=unsubscribe_url,
    )


def _default_text(rule: MailingRule) -> str:
    return rule.name


def _send_letters(rule: MailingRule, event: triggers.RuleEvent, firing: MailingRuleFiring, manager) -> None:
    from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind
    from sdelka.interactions.optouts import opted_out, unsubscribe_url
    from sdelka.interactions.services import interaction_create, interaction_send

    template = rule.email_template
    recipients = [(contact, contact.emails[0]) for contact in event.contacts if contact.emails]
    if not recipients:
        firing.outcome, firing.detail = FiringOutcome.SKIPPED, _("No contact person with an e-mail address.")
        return
    unsubscribed = opted_out(email for _contact, email in recipients)
    sent, skipped = [], []
    for contact, email in recipients:
        if email.lower() in unsubscribed:
            skipped.append(email)
            continue
        link = unsubscribe_url(email)
        subject, body = letters.render(
            template, _context(event, contact=contact, manager=manager, unsubscribe_url=link)
        )
        interaction = interaction_create(
            actor=None,
            data={
                "kind": InteractionKind.EMAIL,
                "direction": Direction.OUTGOING,
                "partner": event.partner,
                "subject": event.subject if event.subject is not event.partner else None,
                "contacts": [contact],
                "responsible": manager,
                "topic": subject[:255],
                "text": body,
                "email_to": [email],
                "email_from": manager.email or settings.DEFAULT_FROM_EMAIL,
                "email_status": EmailStatus.DRAFT,
                "reviewed": True,
            },
        )
        interaction.unsubscribe_url = link
        interaction.save(update_fields=["unsubscribe_url"])
        interaction_send(actor=None, interaction=interaction)
        firing.interactions.add(interaction)
        sent.append(email)
    if not sent:
        firing.outcome = FiringOutcome.SKIPPED
        firing.detail = _("Every recipient unsubscribed: %(emails)s") % {"emails": ", ".join(skipped)}
        return
    detail = _("Sent to %(emails)s.") % {"emails": ", ".join(sent)}
    if skipped:
        detail += " " + _("Unsubscribed, not sent: %(emails)s.") % {"emails": ", ".join(skipped)}
    firing.detail = detail[:500]


def _act(rule: MailingRule, event: triggers.RuleEvent, firing: MailingRuleFiring) -> None:
    manager = _responsible(rule, event)
    if manager is None:
        firing.outcome, firing.detail = FiringOutcome.SKIPPED, _("Nobody is responsible for the record.")
        return
    contact = event.contacts[0] if event.contacts else None
    if rule.action == RuleAction.SEND_EMAIL:
        _send_letters(rule, event, firing, manager)
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = letters.fill(
            rule.text or _default_text(rule),
            _context(event, contact=contact, manager=manager),
            language=settings.LANGUAGE_CODE,
        )
    text = " ".join(text.split())[:255]
    if rule.action == RuleAction.NOTIFY_MANAGER:
        from sdelka.activities.services.notifications import notification_create

        target = event.subject or event.target
        firing.notification = notification_create(
            user=manager,
            text=f"{text}: {target}" if str(target) not in text else text,
            link=_link(target),
            target_type_id=ContentType.objects.get_for_model(target).pk,
            target_id=target.pk,
        )
        firing.detail = _("Notified %(user)s.") % {"user": manager}
    elif rule.action == RuleAction.CREATE_TASK:
        from sdelka.activities.services.tasks import task_create

        firing.task = task_create(
            actor=None,
            data={
                "title": text,
                "description": _("Made by the mailing rule “%(rule)s”.") % {"rule": rule.name},
                "assignee": manager,
                "due_at": timezone.now() + datetime.timedelta(days=rule.task_due_days),
                "subject": event.subject,
            },
        )
        firing.detail = _("Task for %(user)s.") % {"user": manager}


def mailing_rule_run(rule: MailingRule, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Act on the rule's new events; how many were done, skipped, or left (failed, or taken by another
    worker) for the next run."""
    now = now or timezone.now()
    counts = {"done": 0, "skipped": 0, "left": 0}
    for event in triggers.find_events(rule, now):
        try:
            with transaction.atomic():
                firing = MailingRuleFiring.objects.create(
                    rule=rule,
                    event_key=event.key,
                    target_type=ContentType.objects.get_for_model(event.target),
                    target_id=event.target.pk,
                    outcome=FiringOutcome.DONE,
                )
                try:
                    with transaction.atomic():
                        _act(rule, event, firing)
                except ValidationError as error:
                    # The records cannot take the action (e.g. a deactivated manager): say so, do not retry.
                    firing.outcome = FiringOutcome.SKIPPED
                    firing.detail = "; ".join(error.messages)[:500]
                firing.save()
        except IntegrityError:
            counts["left"] += 1  # another worker acted on it at the same moment
            continue
        except Exception:
            logger.exception(
                "Mailing rule %s failed on %s; it is tried again on the next run", rule.pk, event.key
            )
            counts["left"] += 1
            continue
        counts[firing.outcome] += 1
    return counts


def mailing_rules_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every active rule (the worker's periodic job)."""
    totals = {"done": 0, "skipped": 0, "left": 0}
    for rule in MailingRule.objects.filter(is_active=True).select_related("email_template", "created_by"):
        for key, value in mailing_rule_run(rule, now=now).items():
            totals[key] += value
    return totals
