"""Writes of the marketing app: advertising channels, marketing events, their participants and expenses,
the primary interest rule, and the "new client" registration.

Every write checks the actor's role, validates, runs in one transaction and leaves a history row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core import tree
from sdelka.core.history import save_with_history
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.marketing.choices import PARTICIPANT_STATUS_ORDER, ParticipantStatus, SourceType
from sdelka.marketing.interest import CHANNEL_FIELD, SOURCE_FIELDS, source_values
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)

CHANNEL_FIELDS = ("name", "parent", "source_type", "description")
EVENT_FIELDS = (
    "name",
    "kind",
    "start_date",
    "end_date",
    "responsible",
    "channel",
    "audience",
    "planned_budget",
    "description",
)
EXPENSE_FIELDS = ("date", "description", "amount")
SOURCE_KEY = "primary_interest_source"


# --- primary interest ------------------------------------------------------------------------------------


def source_type_of(record: models.Model | None) -> str | None:
    """The source type a record is (a user → "user", a marketing event → "event"…); None for others."""
    from sdelka.partners.models import ContactPerson, Individual, Partner

    kinds = {
        User: SourceType.USER,
        Partner: SourceType.PARTNER,
        ContactPerson: SourceType.CONTACT,
        Individual: SourceType.INDIVIDUAL,
        MarketingEvent: SourceType.EVENT,
    }
    return next((kind for model, kind in kinds.items() if isinstance(record, model)), None)


def _source_visible(actor, source_type: str, source) -> bool:
    """A partner or contact person as a source must be one the actor sees; others are shared catalogs."""
    if not isinstance(actor, User):
        return True
    from sdelka.partners import selectors as partner_selectors

    if source_type == SourceType.PARTNER:
        return partner_selectors.partner_list(user=actor).filter(pk=source.pk).exists()
    if source_type == SourceType.CONTACT:
        return partner_selectors.contact_person_list(user=actor).filter(pk=source.pk).exists()
    return True


def primary_interest_clean(*, channel: AdChannel | None, source, actor=None) -> dict:
    """The values of the primary interest fields for ``channel`` and ``source``, or a ``ValidationError``.

    The source is optional, but when given it must be a record of the channel's source type; a source
    without a channel, or through a channel that takes none, is refused. Errors name the field
    ``primary_interest_source`` (or ``primary_interest_channel``) and the expected type.
    """
    if source is None:
        return {CHANNEL_FIELD: channel, **source_values(None, None)}
    if channel is None:
        raise ValidationError({CHANNEL_FIELD: _("Choose the channel the source belongs to.")})
    given = source_type_of(source)
    if not channel.source_type:
        raise ValidationError(
            {SOURCE_KEY: _("The channel “%(channel)s” takes no source.") % {"channel": channel.name}}
        )
    if given != channel.source_type:
        raise ValidationError(
            {
                SOURCE_KEY: _(
                    "The channel “%(channel)s” takes a source of the type “%(expected)s”; "
                    "“%(source)s” is not one."
                )
                % {
                    "channel": channel.name,
                    "expected": SourceType(channel.source_type).label,
                    "source": source,
                }
            }
        )
    if not _source_visible(actor, given, source):
        raise ValidationError({SOURCE_KEY: _("Source not found.")})
    return {CHANNEL_FIELD: channel, **source_values(given, source)}


def primary_interest_from_data(instance, data: dict, *, actor) -> dict:
    """Take ``primary_interest_channel`` and ``primary_interest_source`` out of ``data`` (a service's input)
    and return the validated values of the stored fields; an empty dict when neither was given.

    A channel given alone keeps the current source only while the channel stays the same; a source given
    alone goes with the current channel.
    """
    has_channel, has_source = CHANNEL_FIELD in data, SOURCE_KEY in data
    channel = data.pop(CHANNEL_FIELD, None)
    source = data.pop(SOURCE_KEY, None)
    if not (has_channel or has_source):
        return {}
    current_channel_id = getattr(instance, f"{CHANNEL_FIELD}_id")
    if not has_channel:
        channel = getattr(instance, CHANNEL_FIELD) if current_channel_id else None
    if not has_source:
        same = (channel.pk if channel else None) == current_channel_id
        source = instance.primary_interest_source if same else None
    return primary_interest_clean(channel=channel, source=source, actor=actor)


def primary_interest_of(record) -> dict:
    """A record's primary interest as the values of the stored fields (to copy it onto another record)."""
    return {
        CHANNEL_FIELD: getattr(record, CHANNEL_FIELD),
        **source_values(record.primary_interest_source_type, record.primary_interest_source),
    }


# --- advertising channels ------------------------------------------------------------------------------------


def _channel_in_use(channel: AdChannel) -> str | None:
    """Why the channel cannot lose its records (used by partners, deals or events), or None."""
    from sdelka.deals.models import Deal
    from sdelka.partners.models import Partner

    uses = [
        (Partner.objects.filter(primary_interest_channel=channel).count(), _("partners")),
        (Deal.objects.filter(primary_interest_channel=channel).count(), _("deals")),
        (MarketingEvent.objects.filter(channel=channel).count(), _("marketing events")),
    ]
    named = [f"{label}: {count}" for count, label in uses if count]
    return ", ".join(named) or None


@transaction.atomic
def ad_channel_create(*, actor, data: dict) -> AdChannel:
    ensure_role_can(actor, "add", "ad_channel")
    channel = AdChannel()
    model_assign(channel, data, CHANNEL_FIELDS)
    channel.name = (channel.name or "").strip()
    channel.full_clean(exclude=["path"])
    tree._check_sibling_name(channel, name=channel.name, parent=channel.parent)
    save_with_history(channel, actor=actor)
    channel.path = tree._path_for(channel, channel.parent)
    AdChannel.objects.filter(pk=channel.pk).update(path=channel.path)
    return channel


@transaction.atomic
def ad_channel_update(*, actor, channel: AdChannel, data: dict) -> AdChannel:
    """Rename, describe, move (with the subtree) or change the source type of a channel.

    The source type of a channel that partners' or deals' sources point through cannot change: those
    sources would be of the wrong type.
    """
    ensure_role_can(actor, "change", "ad_channel")
    data = dict(data)
    new_parent = data.pop("parent", channel.parent)
    old_type = channel.source_type
    changed = model_assign(channel, data, CHANNEL_FIELDS)
    channel.name = (channel.name or "").strip()
    if "source_type" in changed and old_type:
        from sdelka.deals.models import Deal
        from sdelka.partners.models import Partner

        field = f"{SOURCE_FIELDS[old_type]}__isnull"
        used = (
            Partner.objects.filter(primary_interest_channel=channel, **{field: False}).exists()
            or Deal.objects.filter(primary_interest_channel=channel, **{field: False}).exists()
        )
        if used:
            raise ValidationError(
                {
                    "source_type": _(
                        "Partners or deals have sources of the type “%(type)s” through this channel; "
                        "the source type cannot change."
                    )
                    % {"type": SourceType(old_type).label}
                }
            )
    if changed:
        channel.full_clean(exclude=["path"])
        tree._check_sibling_name(channel, name=channel.name, parent=channel.parent)
        save_with_history(channel, actor=actor)
    if (new_parent.pk if new_parent else None) != channel.parent_id:
        tree.group_move(channel, actor=actor, parent=new_parent)
    return channel


@transaction.atomic
def ad_channel_delete(*, actor, channel: AdChannel) -> None:
    """Delete a channel nobody uses; one with subchannels, partners, deals or events is kept, with the reason."""
    ensure_role_can(actor, "delete", "ad_channel")
    if channel.children.exists():
        raise ValidationError(_("The channel has subchannels: move or delete them first."))
    in_use = _channel_in_use(channel)
    if in_use:
        raise ValidationError(_("The channel is in use (%(uses)s) and cannot be deleted.") % {"uses": in_use})
    channel._history_user = actor
    channel.delete()


# --- marketing events ----------------------------------------------------------------------------------------


def _check_responsible(event: MarketingEvent, changed: Iterable[str]) -> None:
    if "responsible" in changed and event.responsible_id and not event.responsible.is_active:
        raise ValidationError(
            {
                "responsible": _("%(user)s is deactivated and cannot be responsible.")
                % {"user": event.responsible}
            }
        )


@transaction.atomic
def marketing_event_create(*, actor, data: dict) -> MarketingEvent:
    ensure_role_can(actor, "add", "marketing_event")
    event = MarketingEvent()
    data = dict(data)
    segments = data.pop("segments", None)
    changed = model_assign(event, data, EVENT_FIELDS)
    if event.responsible_id is None and isinstance(actor, User):
        event.responsible = actor
    _check_responsible(event, changed)
    validate_and_save(event, actor=actor)
    if segments:
        event.segments.set(segments)
    return event


@transaction.atomic
def marketing_event_update(*, actor, event: MarketingEvent, data: dict) -> MarketingEvent:
    ensure_role_can(actor, "change", "marketing_event")
    data = dict(data)
    segments = data.pop("segments", None)
    changed = model_assign(event, data, EVENT_FIELDS)
    _check_responsible(event, changed)
    if changed:
        validate_and_save(event, actor=actor)
    if segments is not None:
        event.segments.set(segments)
    return event


@transaction.atomic
def marketing_event_delete(*, actor, event: MarketingEvent) -> None:
    ensure_role_can(actor, "delete", "marketing_event")
    event._history_user = actor
    try:
        event.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The event is the primary interest source of partners or deals and cannot be deleted.")
        ) from error


@transaction.atomic
def event_expense_add(*, actor, event: MarketingEvent, data: dict) -> MarketingEventExpense:
    ensure_role_can(actor, "change", "marketing_event")
    expense = MarketingEventExpense(event=event)
    model_assign(expense, data, EXPENSE_FIELDS)
    expense.description = (expense.description or "").strip()
    validate_and_save(expense, actor=actor)
    return expense


@transaction.atomic
def event_expense_update(*, actor, expense: MarketingEventExpense, data: dict) -> MarketingEventExpense:
    ensure_role_can(actor, "change", "marketing_event")
    if model_assign(expense, data, EXPENSE_FIELDS):
        expense.description = (expense.description or "").strip()
        validate_and_save(expense, actor=actor)
    return expense


@transaction.atomic
def event_expense_delete(*, actor, expense: MarketingEventExpense) -> None:
    ensure_role_can(actor, "change", "marketing_event")
    expense._history_user = actor
    expense.delete()


# --- participants ------------------------------------------------------------------------------------------


def _taking_part(event: MarketingEvent, *, partner, contact) -> bool:
    found = MarketingEventParticipant.objects.filter(event=event)
    if contact is not None:
        return found.filter(contact=contact).exists()
    return found.filter(partner=partner, contact__isnull=True).exists()


@transaction.atomic
def event_participant_add(
    *, actor, event: MarketingEvent, partner=None, contact=None, status: str = ParticipantStatus.INVITED
) -> MarketingEventParticipant:
    """Add a partner, or a contact person (with their partner), to the event; each takes part once."""
    ensure_role_can(actor, "change", "marketing_event")
    if contact is not None:
        if partner is not None and contact.partner_id != partner.pk:
            raise ValidationError({"contact": _("The contact person belongs to another partner.")})
        partner = contact.partner
    if partner is None:
        raise ValidationError({"partner": _("Choose a partner or a contact person.")})
    if _taking_part(event, partner=partner, contact=contact):
        raise ValidationError(
            {"partner": _("“%(who)s” takes part in the event already.") % {"who": contact or partner}}
        )
    participant = MarketingEventParticipant(event=event, partner=partner, contact=contact, status=status)
    _check_status_allowed(participant, status)
    validate_and_save(participant, actor=actor)
    return participant


@transaction.atomic
def event_segment_invite(*, actor, event: MarketingEvent, segment, partners) -> int:
    """Invite a whole segment at once: its members among ``partners`` (the inviter's scope), in the database
    (no partner is loaded); those taking part already are skipped. Returns how many were added."""
    from django.db.models import Exists, OuterRef
    from simple_history.utils import bulk_create_with_history

    from sdelka.partners.models import SegmentMember

    ensure_role_can(actor, "change", "marketing_event")
    ids = list(
        partners.filter(Exists(SegmentMember.objects.filter(segment=segment, partner_id=OuterRef("pk"))))
        .exclude(
            pk__in=MarketingEventParticipant.objects.filter(event=event, contact__isnull=True).values(
                "partner_id"
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # One INSERT per thousand, each with its history rows (who invited them).
    created = bulk_create_with_history(
        [MarketingEventParticipant(event=event, partner_id=pk) for pk in ids],
        MarketingEventParticipant,
        batch_size=1000,
        default_user=actor if isinstance(actor, User) else None,
    )
    return len(created)


@transaction.atomic
def event_participants_add(*, actor, event: MarketingEvent, partners: Iterable) -> int:
    """Invite several partners at once (e.g. a whole group); those taking part already are skipped.

    Returns how many were added.
    """
    ensure_role_can(actor, "change", "marketing_event")
    partners = list(partners)
    present = set(
        MarketingEventParticipant.objects.filter(
            event=event, contact__isnull=True, partner__in=[p.pk for p in partners]
        ).values_list("partner_id", flat=True)
    )
    added = 0
    for partner in partners:
        if partner.pk in present:
            continue
        present.add(partner.pk)
        save_with_history(MarketingEventParticipant(event=event, partner=partner), actor=actor)
        added += 1
    return added


def _check_status_allowed(participant: MarketingEventParticipant, status: str) -> None:
    if status == ParticipantStatus.ATTENDED and participant.event.start_date > timezone.localdate():
        raise ValidationError({"status": _("The event has not started yet: nobody has attended it.")})


@transaction.atomic
def event_participant_set_status(*, actor, participant: MarketingEventParticipant, status: str) -> None:
    """Move a participant forward: invited → registered → attended (a step may be skipped, never undone)."""
    ensure_role_can(actor, "change", "marketing_event")
    if status not in ParticipantStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == participant.status:
        return
    order = PARTICIPANT_STATUS_ORDER
    if order.index(status) < order.index(participant.status):
        raise ValidationError(
            {
                "status": _("A participant who is “%(current)s” cannot go back to “%(new)s”.")
                % {
                    "current": ParticipantStatus(participant.status).label.lower(),
                    "new": ParticipantStatus(status).label.lower(),
                }
            }
        )
    _check_status_allowed(participant, status)
    participant.status = status
    validate_and_save(participant, actor=actor)


@transaction.atomic
def event_participant_remove(*, actor, participant: MarketingEventParticipant) -> None:
    ensure_role_can(actor, "change", "marketing_event")
    participant._history_user = actor
    participant.delete()


# --- new clients --------------------------------------------------------------------------------------------


@transaction.atomic
def new_client_register(*, actor, partner_data: dict, contact_data: dict | None) -> dict:
    """Register a potential client: a partner flagged client with its primary interest, and (when a name
    is given) its contact person — through the partner services, in one transaction.

    Returns {"partner": …, "contact": … or None}. A refusal of either leaves nothing stored; the contact's
    errors are named ``contact_<field>``.
    """
    from sdelka.partners import services as partner_services

    partner_data = {**partner_data, "is_client": True}
    if isinstance(actor, User):
        partner_data.setdefault("manager", actor)
    partner = partner_services.partner_create(actor=actor, data=partner_data)
    contact = None
    if contact_data and (contact_data.get("name") or "").strip():
        try:
            contact = partner_services.contact_person_create(
                actor=actor, data={**contact_data, "partner": partner}
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {f"contact_{field}": messages for field, messages in error.error_dict.items()}
                ) from error
            raise
    return {"partner": partner, "contact": contact}
