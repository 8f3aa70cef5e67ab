"""Finding the events of mailing rules: which records a rule should act on now.

Each finder is one query (plus one for the records' relations) that already leaves out the events the
rule acted on, so a run reads only new work however long the rule has been active. An event is identified
by a key that is the same for every worker that finds it (``deal-event:42``, ``deal:7:idle:20261101T0930``),
and the firing row's unique (rule, key) makes acting on it happen once.

Only what happened after the rule was switched on (``active_since``) counts: a new rule acts on new events,
not on the history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateTimeField, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Greatest
from django.utils import timezone

from sdelka.activities.models import MailingRule, MailingRuleFiring, RuleTrigger

# Work of one run of one rule; the rest is found by the next run (a minute later).
BATCH = 200
# A birthday greeting goes out in the morning of the day, not at midnight.
BIRTHDAY_HOUR = 9


@dataclass
class RuleEvent:
    """One event a rule may act on, with the records a letter, notice or task about it needs."""

    key: str
    target: object
    partner: object
    deal: object = None
    quote: object = None
    claim: object = None
    contacts: list = field(default_factory=list)
    manager: object = None
    # What a task or an interaction made for the event is about (the deal, claim or partner).
    subject: object = None


def _fired(rule: MailingRule, model, key_prefix: str, key_suffix: str) -> Exists:
    """The rule already has a firing for this row (keyed ``<prefix><pk><suffix>``)."""
    return Exists(
        MailingRuleFiring.objects.filter(
            rule=rule,
            event_key=Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField()), Value(key_suffix)),
        )
    )


def _fired_on_target(rule: MailingRule, model, *, since=None) -> Exists:
    firings = MailingRuleFiring.objects.filter(
        rule=rule, target_type=ContentType.objects.get_for_model(model), target_id=OuterRef("pk")
    )
    if since is not None:
        firings = firings.filter(fired_at__gte=since)
    return Exists(firings)


def _deal_contacts(deal) -> list:
    contacts = list(deal.contacts.all())
    return contacts or list(deal.partner.contacts.all())


def deal_stage_entered(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    from sdelka.deals.choices import DealEventKind, DealStatus
    from sdelka.deals.models import DealEvent

    events = (
        DealEvent.objects.filter(
            kind__in=(DealEventKind.CREATED, DealEventKind.STAGE_CHANGED),
            to_stage=rule.stage_id,
            at__gte=rule.active_since,
            at__lte=now,
            # Acting on a deal that has moved on or closed since would write to the client about the past.
            deal__stage=rule.stage_id,
            deal__status=DealStatus.IN_PROGRESS,
            deal__closed=False,
        )
        .annotate(fired=_fired(rule, DealEvent, "deal-event:", ""))
        .filter(fired=False)
        .select_related("deal__partner", "deal__manager", "deal__stage")
        .prefetch_related("deal__contacts", "deal__partner__contacts")
        .order_by("at", "id")[:BATCH]
    )
    return [
        RuleEvent(
            key=f"deal-event:{event.pk}",
            target=event.deal,
            partner=event.deal.partner,
            deal=event.deal,
            contacts=_deal_contacts(event.deal),
            manager=event.deal.manager,
            subject=event.deal,
        )
        for event in events
    ]


def deal_idle(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    """Deals in progress with no change, stage move or interaction for ``days`` days; again after the next
    activity and another ``days`` of silence."""
    from sdelka.deals.choices import DealStatus
    from sdelka.deals.models import Deal, DealEvent
    from sdelka.interactions.models import Interaction

    idle_for = datetime.timedelta(days=rule.days)
    last_event = DealEvent.objects.filter(deal=OuterRef("pk")).order_by().values("deal")
    last_event = last_event.annotate(last=Max("at")).values("last")
    last_interaction = (
        Interaction.objects.filter(deal=OuterRef("pk"), starts_at__lte=now)
        .order_by()
        .values("deal")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
    deals = Deal.objects.filter(status=DealStatus.IN_PROGRESS, closed=False)
    if rule.deal_kind_id:
        deals = deals.filter(kind=rule.deal_kind_id)
    if rule.stage_id:
        deals = deals.filter(stage=rule.stage_id)
    deals = (
        deals.annotate(
            last_activity=Greatest(
                F("updated_at"),
                Coalesce(Subquery(last_event, output_field=DateTimeField()), F("updated_at")),
                Coalesce(Subquery(last_interaction, output_field=DateTimeField()), F("updated_at")),
            )
        )
        .filter(last_activity__lte=now - idle_for, last_activity__gte=rule.active_since - idle_for)
        # Acted on since the last activity: this silence was reported already.
        .annotate(
            fired=Exists(
                MailingRuleFiring.objects.filter(
                    rule=rule,
                    target_type=ContentType.objects.get_for_model(Deal),
                    target_id=OuterRef("pk"),
                    fired_at__gte=OuterRef("last_activity"),
                )
            )
        )
        .filter(fired=False)
        .select_related("partner", "manager", "stage")
        .prefetch_related("contacts", "partner__contacts")
        .order_by("last_activity", "id")[:BATCH]
    )
    return [
        RuleEvent(
            key=f"deal:{deal.pk}:idle:{deal.last_activity:%Y%m%dT%H%M%S}",
            target=deal,
            partner=deal.partner,
            deal=deal,
            contacts=_deal_contacts(deal),
            manager=deal.manager,
            subject=deal,
        )
        for deal in deals
    ]


def quote_unanswered(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    """Proposals still "sent" ``days`` after they were sent, with no incoming call, letter or message from
    the client since then."""
    from sdelka.documents.choices import QuoteStatus
    from sdelka.documents.models import Quote
    from sdelka.interactions.choices import Direction
    from sdelka.interactions.models import Interaction

    waited = datetime.timedelta(days=rule.days)
    answered = Interaction.objects.filter(
        partner=OuterRef("partner"), direction=Direction.INCOMING, starts_at__gte=OuterRef("sent")
    )
    quotes = (
        Quote.objects.filter(status=QuoteStatus.SENT)
        .annotate(sent=Coalesce("sent_at", Cast("date", DateTimeField())))
        .filter(sent__lte=now - waited, sent__gte=rule.active_since - waited)
        .annotate(answered=Exists(answered), fired=_fired(rule, Quote, "quote:", ":unanswered"))
        .filter(answered=False, fired=False)
        .select_related("partner", "manager", "deal__stage", "deal__partner")
        .prefetch_related("deal__contacts", "partner__contacts")
        .order_by("sent", "id")[:BATCH]
    )
    return [
        RuleEvent(
            key=f"quote:{quote.pk}:unanswered",
            target=quote,
            partner=quote.partner,
            deal=quote.deal,
            quote=quote,
            contacts=_deal_contacts(quote.deal) if quote.deal_id else list(quote.partner.contacts.all()),
            manager=quote.manager or (quote.deal.manager if quote.deal_id else None),
            subject=quote.deal if quote.deal_id else quote.partner,
        )
        for quote in quotes
    ]


def _claims(rule: MailingRule, now: datetime.datetime, *, settled: bool) -> list[RuleEvent]:
    from sdelka.claims.choices import ClaimStatus
    from sdelka.claims.models import Claim

    moment = "settled_at" if settled else "registered_at"
    suffix = ":settled" if settled else ":registered"
    claims = Claim.objects.filter(**{f"{moment}__gte": rule.active_since, f"{moment}__lte": now})
    if settled:
        claims = claims.filter(status=ClaimStatus.SETTLED)
    claims = (
        claims.annotate(fired=_fired(rule, Claim, "claim:", suffix))
        .filter(fired=False)
        .select_related("partner", "responsible", "deal__stage")
        .prefetch_related("deal__contacts", "partner__contacts")
        .order_by(moment, "id")[:BATCH]
    )
    return [
        RuleEvent(
            key=f"claim:{claim.pk}{suffix}",
            target=claim,
            partner=claim.partner,
            deal=claim.deal,
            claim=claim,
            contacts=_deal_contacts(claim.deal) if claim.deal_id else list(claim.partner.contacts.all()),
            manager=claim.responsible,
            subject=claim,
        )
        for claim in claims
    ]


def claim_registered(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    return _claims(rule, now, settled=False)


def claim_settled(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    return _claims(rule, now, settled=True)


def birthday_matches(day: datetime.date) -> Q:
    """Contacts whose birthday falls on ``day``; those born on 29 February celebrate on the 28th in a
    common year."""
    match = Q(birthday__month=day.month, birthday__day=day.day)
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        match |= Q(birthday__month=2, birthday__day=29)
    return match


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def contact_birthday(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    from sdelka.partners.models import ContactPerson

    local = timezone.localtime(now)
    if local.hour < BIRTHDAY_HOUR:
        return []
    today = local.date()
    day = today + datetime.timedelta(days=rule.days)
    if today < timezone.localtime(rule.active_since).date():
        return []
    suffix = f":birthday:{day.year}"
    contacts = (
        ContactPerson.objects.filter(birthday_matches(day), birthday__lte=day)
        .annotate(fired=_fired(rule, ContactPerson, "contact:", suffix))
        .filter(fired=False)
        .select_related("partner__manager")
        .order_by("id")[:BATCH]
    )
    return [
        RuleEvent(
            key=f"contact:{contact.pk}{suffix}",
            target=contact,
            partner=contact.partner,
            contacts=[contact],
            manager=contact.partner.manager,
            subject=contact.partner,
        )
        for contact in contacts
    ]


FINDERS = {
    RuleTrigger.DEAL_STAGE_ENTERED: deal_stage_entered,
    RuleTrigger.DEAL_IDLE: deal_idle,
    RuleTrigger.QUOTE_UNANSWERED: quote_unanswered,
    RuleTrigger.CLAIM_REGISTERED: claim_registered,
    RuleTrigger.CLAIM_SETTLED: claim_settled,
    RuleTrigger.CONTACT_BIRTHDAY: contact_birthday,
}

#: the records each trigger's events have, i.e. which placeholders its letters can fill.
TRIGGER_OBJECTS = {
    RuleTrigger.DEAL_STAGE_ENTERED: {"partner", "contact", "deal", "manager", "company"},
    RuleTrigger.DEAL_IDLE: {"partner", "contact", "deal", "manager", "company"},
    RuleTrigger.QUOTE_UNANSWERED: {"partner", "contact", "deal", "quote", "manager", "company"},
    RuleTrigger.CLAIM_REGISTERED: {"partner", "contact", "deal", "claim", "manager", "company"},
    RuleTrigger.CLAIM_SETTLED: {"partner", "contact", "deal", "claim", "manager", "company"},
    RuleTrigger.CONTACT_BIRTHDAY: {"partner", "contact", "manager", "company"},
}


def find_events(rule: MailingRule, now: datetime.datetime) -> list[RuleEvent]:
    if not rule.is_active or rule.active_since is None:
        return []
    return FINDERS[rule.trigger](rule, now)
