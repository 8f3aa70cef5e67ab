"""Writes of reminders, and firing the due ones (the worker's "due reminders" job).

A reminder belongs to the user who set it; its record must be one of the whitelisted kinds
(:mod:`sdelka.activities.targets`) and within that user's scope. ``next_fire_at`` is computed here and
nowhere else. Firing claims a reminder with ``UPDATE … WHERE next_fire_at = <the value read>``, so each
due time fires once however many workers run; the notice and the e-mail task are made in the same
transaction as the claim (the e-mail is queued on commit).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.activities.models import Reminder, ReminderRepeat, ReminderStatus, ReminderTiming
from sdelka.activities.schedule import next_occurrence, relative_due
from sdelka.activities.services.notifications import notification_create
from sdelka.activities.targets import ReminderTarget, target_for
from sdelka.core.services import ensure_role_can

logger = logging.getLogger(__name__)

REMINDER_FIELDS = (
    "target_type",
    "target_id",
    "text",
    "timing",
    "remind_at",
    "date_field",
    "offset_days",
    "at_time",
    "repeat",
    "by_email",
)
MAX_OFFSET_DAYS = 365
FIRE_BATCH = 500


def _model_label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def _resolve_target(actor, data: dict, errors: dict) -> tuple[ContentType | None, ReminderTarget | None]:
    """The content type and registered kind named by ``data["target_type"]`` ("deals.deal" or a ContentType)."""
    value = data.get("target_type")
    label = _model_label(value) if isinstance(value, ContentType) else str(value or "").strip().lower()
    target = target_for(label)
    if target is None:
        errors["target_type"] = _("Reminders cannot be set on this kind of record.")
        return None, None
    app_label, model = label.split(".", 1)
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    record_id = data.get("target_id")
    if not record_id or not target.scope(actor).filter(pk=record_id).exists():
        errors["target_id"] = _("Record not found.")
    return content_type, target


def _validate(actor, reminder: Reminder, data: dict, *, now: datetime.datetime) -> ReminderTarget | None:
    """Copy ``data`` onto ``reminder`` and check it; raise one ValidationError with every problem."""
    unknown = set(data) - set(REMINDER_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    errors: dict[str, str] = {}
    merged = {
        "target_type": reminder.target_type if reminder.target_type_id else None,
        "target_id": reminder.target_id,
        **{
            name: getattr(reminder, name)
            for name in REMINDER_FIELDS
            if name not in ("target_type", "target_id")
        },
        **data,
    }
    content_type, target = _resolve_target(actor, merged, errors)
    text = (merged.get("text") or "").strip()
    if not text:
        errors["text"] = _("Write what to remind about.")
    timing = merged.get("timing") or ReminderTiming.FIXED
    repeat = merged.get("repeat") or ReminderRepeat.NONE
    if timing not in ReminderTiming.values:
        errors["timing"] = _("Choose when to remind.")
    if repeat not in ReminderRepeat.values:
        errors["repeat"] = _("Choose how to repeat.")
    offset_days = merged.get("offset_days") or 0
    if abs(offset_days) > MAX_OFFSET_DAYS:
        errors["offset_days"] = _("At most %(days)d days before or after the date.") % {
            "days": MAX_OFFSET_DAYS
        }
    if timing == ReminderTiming.FIXED:
        if not merged.get("remind_at"):
            errors["remind_at"] = _("Enter the date and time of the reminder.")
        elif merged["remind_at"] <= now and (reminder.pk is None or "remind_at" in data):
            errors["remind_at"] = _("This time has already passed; choose a time in the future.")
        merged["date_field"] = ""
    elif timing == ReminderTiming.RELATIVE and target is not None:
        date = target.date(merged.get("date_field") or "")
        if date is None:
            allowed = ", ".join(str(item.label) for item in target.dates) or _("none")
            errors["date_field"] = _(
                "This date cannot be used for a reminder on this record (allowed: %(dates)s)."
            ) % {"dates": allowed}
        elif date.annual:
            repeat = ReminderRepeat.YEARLY  # a birthday comes every year
        elif repeat != ReminderRepeat.NONE:
            errors["repeat"] = _("A reminder relative to this date comes once; choose “Once”.")
        merged["remind_at"] = None
    if errors:
        raise ValidationError(errors)
    reminder.target_type = content_type
    reminder.target_id = merged["target_id"]
    reminder.text = text
    reminder.timing = timing
    reminder.repeat = repeat
    reminder.offset_days = offset_days
    reminder.remind_at = merged.get("remind_at")
    reminder.date_field = merged.get("date_field") or ""
    reminder.at_time = merged.get("at_time") or datetime.time(9, 0)
    reminder.by_email = bool(merged.get("by_email"))
    return target


def _schedule(reminder: Reminder, target: ReminderTarget, *, now: datetime.datetime) -> None:
    """Set ``next_fire_at`` (and ``anchor_date``) from the reminder's settings; refuse a time already past."""
    reminder.status = ReminderStatus.ACTIVE
    if reminder.timing == ReminderTiming.FIXED:
        reminder.anchor_date = None
        reminder.next_fire_at = reminder.remind_at
        if reminder.remind_at <= now:
            # An edit of another field of a repeating reminder whose first time has passed: the next one.
            reminder.next_fire_at = next_occurrence(reminder.remind_at, reminder.repeat, now)
            if reminder.next_fire_at is None:
                raise ValidationError(
                    {"remind_at": _("This time has already passed; choose a time in the future.")}
                )
        return
    date = target.date(reminder.date_field)
    model = reminder.target_type.model_class()
    value = getattr(model._default_manager.only(date.field).get(pk=reminder.target_id), date.field)
    reminder.anchor_date = value
    reminder.next_fire_at = relative_due(
        value, offset_days=reminder.offset_days, at_time=reminder.at_time, annual=date.annual, after=now
    )
    if reminder.next_fire_at is not None and reminder.next_fire_at <= now:
        raise ValidationError(
            {
                "offset_days": _("With the record's date %(date)s this reminder would be in the past.")
                % {"date": value}
            }
        )


@transaction.atomic
def reminder_create(*, actor, data: dict, now: datetime.datetime | None = None) -> Reminder:
    ensure_role_can(actor, "add", "reminder")
    now = now or timezone.now()
    reminder = Reminder(user=actor)
    target = _validate(actor, reminder, data, now=now)
    _schedule(reminder, target, now=now)
    reminder.full_clean()
    reminder.save()
    return reminder


def _ensure_owner(actor, reminder: Reminder) -> None:
    if reminder.user_id != actor.pk:
        raise PermissionDenied(_("This is another user's reminder."))


@transaction.atomic
def reminder_update(
    *, actor, reminder: Reminder, data: dict, now: datetime.datetime | None = None
) -> Reminder:
    """Change a reminder; its next time is computed again (a finished one becomes active if it is ahead)."""
    ensure_role_can(actor, "change", "reminder")
    _ensure_owner(actor, reminder)
    now = now or timezone.now()
    try:
        target = _validate(actor, reminder, data, now=now)
        _schedule(reminder, target, now=now)
    except ValidationError:
        reminder.refresh_from_db()
        raise
    reminder.full_clean()
    reminder.save()
    return reminder


@transaction.atomic
def reminder_delete(*, actor, reminder: Reminder) -> None:
    ensure_role_can(actor, "delete", "reminder")
    _ensure_owner(actor, reminder)
    reminder.delete()


# --- the worker's side -------------------------------------------------------------------------------------


def _records_of(reminders: Iterable[Reminder]) -> dict[int, object | None]:
    """Each reminder's record (None if deleted): one query per kind of record, whatever the number."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for reminder in reminders:
        wanted[reminder.target_type_id].add(reminder.target_id)
    found: dict[tuple[int, int], object] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, record in model._default_manager.in_bulk(ids).items():
            found[(type_id, pk)] = record
    return {reminder.pk: found.get((reminder.target_type_id, reminder.target_id)) for reminder in reminders}


def _date_of(reminder: Reminder, record) -> tuple[datetime.date | None, bool]:
    """The record's current date the reminder follows, and whether that date is annual."""
    target = target_for(_model_label(ContentType.objects.get_for_id(reminder.target_type_id)))
    date = target.date(reminder.date_field) if target else None
    if date is None or record is None:
        return None, False
    return getattr(record, date.field), date.annual


def reminders_recompute_relative(*, now: datetime.datetime | None = None) -> int:
    """Follow changed dates of records: a relative reminder whose record's date moved gets its new due time.

    A finished one-time reminder becomes active again when its record's date moved to a time still ahead
    (the deal's close date was postponed: remind again before the new one). How many changed.
    """
    now = now or timezone.now()
    reminders = list(
        Reminder.objects.filter(timing=ReminderTiming.RELATIVE).exclude(
            status=ReminderStatus.DONE, repeat=ReminderRepeat.YEARLY
        )
    )
    records = _records_of(reminders)
    changed = 0
    for reminder in reminders:
        record = records[reminder.pk]
        value, annual = _date_of(reminder, record)
        if (record is not None and value == reminder.anchor_date) or (
            record is None and reminder.status == ReminderStatus.DONE
        ):
            continue
        due = relative_due(
            value, offset_days=reminder.offset_days, at_time=reminder.at_time, annual=annual, after=now
        )
        status = reminder.status
        if record is None:
            status, due = ReminderStatus.DONE, None  # the record is gone
        elif reminder.status == ReminderStatus.DONE:
            if due is None or due <= now:
                due = None
            else:
                status = ReminderStatus.ACTIVE
        changed += Reminder.objects.filter(
            pk=reminder.pk, status=reminder.status, next_fire_at=reminder.next_fire_at
        ).update(next_fire_at=due, anchor_date=value, status=status, updated_at=now)
    return changed


def _after_firing(reminder: Reminder, due: datetime.datetime, value, annual: bool, now: datetime.datetime):
    """The reminder's next due time and status once the occurrence ``due`` has fired."""
    after = max(due, now)
    if reminder.timing == ReminderTiming.FIXED:
        following = (
            next_occurrence(reminder.remind_at, reminder.repeat, after)
            if reminder.repeat != ReminderRepeat.NONE
            else None
        )
    elif annual:
        following = relative_due(
            value, offset_days=reminder.offset_days, at_time=reminder.at_time, annual=True, after=after
        )
    else:
        following = None
    return following, ReminderStatus.ACTIVE if following else ReminderStatus.DONE


def _notice_text(reminder: Reminder, record) -> str:
    return f"{record}: {reminder.text}" if record is not None else reminder.text


def reminder_fire(reminder: Reminder, *, record, now: datetime.datetime) -> bool:
    """Fire one due reminder if this caller wins it: the notice, the e-mail, the next time. True if fired."""
    due = reminder.next_fire_at
    value, annual = _date_of(reminder, record) if reminder.is_relative else (None, False)
    if reminder.is_relative and value != reminder.anchor_date:
        # The record's date changed after the due time was computed: compute it again before firing.
        new_due = relative_due(
            value, offset_days=reminder.offset_days, at_time=reminder.at_time, annual=annual, after=now
        )
        if new_due is None or new_due > now:
            Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.ACTIVE, next_fire_at=due).update(
                next_fire_at=new_due, anchor_date=value, updated_at=now
            )
            return False
    following, status = _after_firing(reminder, due, value, annual, now)
    with transaction.atomic():
        claimed = Reminder.objects.filter(
            pk=reminder.pk, status=ReminderStatus.ACTIVE, next_fire_at=due
        ).update(
            next_fire_at=following,
            status=status,
            last_fired_at=now,
            anchor_date=value if reminder.is_relative else None,
            updated_at=now,
        )
        if not claimed:
            return False  # another worker fired it, or its owner changed it meanwhile
        target = target_for(_model_label(ContentType.objects.get_for_id(reminder.target_type_id)))
        notification_create(
            user=reminder.user,
            text=_notice_text(reminder, record),
            link=target.url(record) if target and record is not None else "",
            target_type_id=reminder.target_type_id,
            target_id=reminder.target_id,
            reminder=reminder,
            by_email=reminder.by_email,
        )
    return True


def reminders_fire_due(*, now: datetime.datetime | None = None, limit: int = FIRE_BATCH) -> int:
    """Fire every reminder due by ``now`` (the oldest first); how many this caller fired.

    One reminder failing is logged and skipped, the others still fire; the failure is raised at the end
    so that the periodic job records it.
    """
    now = now or timezone.now()
    due = list(
        Reminder.objects.filter(status=ReminderStatus.ACTIVE, next_fire_at__lte=now)
        .select_related("user")
        .order_by("next_fire_at", "id")[:limit]
    )
    records = _records_of(due)
    fired, failures = 0, []
    for reminder in due:
        try:
            fired += reminder_fire(reminder, record=records[reminder.pk], now=now)
        except Exception as error:
            logger.exception("Reminder %s could not fire", reminder.pk)
            failures.append(f"{reminder.pk}: {error!r}")
    if failures:
        raise RuntimeError("Some reminders could not fire: " + "; ".join(failures))
    return fired
