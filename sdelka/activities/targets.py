"""The kinds of records a reminder may be set on, the dates of them a reminder may follow, and their pages.

A kind is registered with the selector that gives the records a user sees, so a reminder can only be set
on a record its owner sees. Apps that come later (tasks, interactions, claims) add theirs with
:func:`register_target` — e.g. in their ``AppConfig.ready()`` — and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReminderDate:
    """A date field of a record a reminder may be relative to; ``annual`` dates (birthdays) recur every year."""

    field: str
    label: str | Promise
    annual: bool = False


@dataclass(frozen=True)
class ReminderTarget:
    label: str | Promise
    #: ``scope(user)``: the records of this kind the user sees (a selector)
    scope: Callable[..., QuerySet]
    #: ``url(record)``: the record's page
    url: Callable[[Model], str]
    dates: tuple[ReminderDate, ...] = field(default=())

    def date(self, name: str) -> ReminderDate | None:
        return next((date for date in self.dates if date.field == name), None)


_TARGETS: dict[str, ReminderTarget] = {}


def register_target(model_label: str, target: ReminderTarget) -> None:
    """Allow reminders on records of ``model_label`` ("app_label.modelname", lower case)."""
    _TARGETS[model_label.lower()] = target


def reminder_targets() -> dict[str, ReminderTarget]:
    return dict(_TARGETS)


def target_for(model_label: str) -> ReminderTarget | None:
    return _TARGETS.get((model_label or "").lower())


def _partners(user) -> QuerySet:
    from sdelka.partners.selectors import partner_list

    return partner_list(user=user)


def _contacts(user) -> QuerySet:
    from sdelka.partners.selectors import contact_person_list

    return contact_person_list(user=user)


def _deals(user) -> QuerySet:
    from sdelka.deals.selectors import deal_list

    return deal_list(user=user)


register_target(
    "partners.partner",
    ReminderTarget(
        label=_("Partner"),
        scope=_partners,
        url=lambda partner: reverse("partners:partner_detail", args=[partner.pk]),
    ),
)
register_target(
    "partners.contactperson",
    ReminderTarget(
        label=_("Contact person"),
        scope=_contacts,
        # A contact person has no page of its own: it is shown on its partner's.
        url=lambda contact: reverse("partners:partner_detail", args=[contact.partner_id]),
        dates=(ReminderDate("birthday", _("birthday"), annual=True),),
    ),
)
register_target(
    "deals.deal",
    ReminderTarget(
        label=_("Deal"),
        scope=_deals,
        url=lambda deal: reverse("deals:deal_detail", args=[deal.pk]),
        dates=(
            ReminderDate("planned_close_date", _("planned close date")),
            ReminderDate("start_date", _("start date")),
        ),
    ),
)


def _tasks(user) -> QuerySet:
    from sdelka.activities.selectors.tasks import task_list

    return task_list(user=user)


def _interactions(user) -> QuerySet:
    from sdelka.interactions.selectors import interaction_list

    return interaction_list(user=user)


def _claims(user) -> QuerySet:
    from sdelka.claims.selectors import claim_list

    return claim_list(user=user)


register_target(
    "activities.task",
    ReminderTarget(
        label=_("Task"), scope=_tasks, url=lambda task: reverse("activities:task_detail", args=[task.pk])
    ),
)
register_target(
    "interactions.interaction",
    ReminderTarget(
        label=_("Interaction"),
        scope=_interactions,
        url=lambda interaction: reverse("interactions:interaction_detail", args=[interaction.pk]),
    ),
)
register_target(
    "claims.claim",
    ReminderTarget(
        label=_("Customer claim"),
        scope=_claims,
        url=lambda claim: reverse("claims:claim_detail", args=[claim.pk]),
        dates=(ReminderDate("deadline", _("deadline")),),
    ),
)
