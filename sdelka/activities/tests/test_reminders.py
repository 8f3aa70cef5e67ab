"""Reminders: validation, due times, firing exactly once, repetition, dates of records that move."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sdelka.activities.models import Notification, Reminder, ReminderRepeat, ReminderStatus
from sdelka.activities.schedule import add_months, next_occurrence, relative_due
from sdelka.activities.services.reminders import (
    reminder_create,
    reminder_fire,
    reminder_update,
    reminders_fire_due,
    reminders_recompute_relative,
)
from sdelka.activities.tests.reminder_helpers import due_reminder, local
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 10, 12, 0)


def fixed(record, **extra) -> dict:
    return {
        "target_type": record._meta.label_lower,
        "target_id": record.pk,
        "text": "Call back",
        "remind_at": NOW + datetime.timedelta(hours=1),
        **extra,
    }


# --- validation -------------------------------------------------------------------------------------------------


def test_it_creates_a_fixed_reminder_due_at_its_time(manager):
    partner = PartnerFactory(manager=manager)
    reminder = reminder_create(actor=manager, data=fixed(partner), now=NOW)
    assert reminder.user == manager
    assert reminder.next_fire_at == NOW + datetime.timedelta(hours=1)
    assert reminder.status == ReminderStatus.ACTIVE


def test_it_rejects_a_time_in_the_past(manager):
    partner = PartnerFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        reminder_create(
            actor=manager, data=fixed(partner, remind_at=NOW - datetime.timedelta(minutes=1)), now=NOW
        )
    assert "already passed" in error.value.message_dict["remind_at"][0]
    assert not Reminder.objects.exists()


def test_it_rejects_an_unknown_kind_of_record(manager):
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data={**fixed(manager), "target_type": "accounts.user"}, now=NOW)
    assert "cannot be set on this kind" in error.value.message_dict["target_type"][0]


def test_it_rejects_a_record_outside_the_users_scope(manager, outsider):
    foreign = PartnerFactory(manager=outsider)
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data=fixed(foreign), now=NOW)
    assert error.value.message_dict["target_id"] == ["Record not found."]


def test_it_rejects_a_date_field_that_is_not_allowed(manager):
    deal = DealFactory(manager=manager)
    data = {**fixed(deal), "timing": "relative", "date_field": "actual_close_date", "remind_at": None}
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data=data, now=NOW)
    assert "cannot be used" in error.value.message_dict["date_field"][0]


def test_it_rejects_repeating_a_reminder_relative_to_a_one_time_date(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 4, 1))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "repeat": "daily"}
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data=data, now=NOW)
    assert "repeat" in error.value.message_dict


def test_a_relative_reminder_already_past_is_refused(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 3, 10))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "offset_days": -1}
    with pytest.raises(ValidationError) as error:
        reminder_create(actor=manager, data=data, now=NOW)
    assert "in the past" in error.value.message_dict["offset_days"][0]


def test_only_the_owner_may_change_a_reminder(manager, teammate):
    partner = PartnerFactory(manager=None)
    reminder = reminder_create(actor=manager, data=fixed(partner), now=NOW)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reminder_update(actor=teammate, reminder=reminder, data={"text": "Mine now"}, now=NOW)


# --- due times -------------------------------------------------------------------------------------------------


def test_monthly_repetition_keeps_the_day_after_a_short_month():
    base = local(2026, 1, 31)
    assert next_occurrence(base, ReminderRepeat.MONTHLY, base) == local(2026, 2, 28)
    assert next_occurrence(base, ReminderRepeat.MONTHLY, local(2026, 2, 28)) == local(2026, 3, 31)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)


def test_missed_repetitions_are_skipped_not_fired_in_a_burst():
    base = local(2026, 1, 1)
    assert next_occurrence(base, ReminderRepeat.DAILY, local(2026, 3, 10, 12)) == local(2026, 3, 11)
    assert next_occurrence(base, ReminderRepeat.WEEKLY, local(2026, 1, 8, 9)) == local(2026, 1, 15)


def test_a_birthday_reminder_comes_every_year_at_nine():
    birthday = datetime.date(1980, 3, 12)
    due = relative_due(birthday, offset_days=0, at_time=datetime.time(9), annual=True, after=NOW)
    assert due == local(2026, 3, 12)
    assert relative_due(birthday, offset_days=0, at_time=datetime.time(9), annual=True, after=due) == local(
        2027, 3, 12
    )


def test_a_birthday_reminder_is_made_yearly(manager):
    contact = ContactPersonFactory(
        partner=PartnerFactory(manager=manager), birthday=datetime.date(1980, 3, 1)
    )
    data = {**fixed(contact), "timing": "relative", "date_field": "birthday", "remind_at": None}
    reminder = reminder_create(actor=manager, data=data, now=NOW)
    assert reminder.repeat == ReminderRepeat.YEARLY
    assert reminder.next_fire_at == local(2027, 3, 1)


# --- firing ---------------------------------------------------------------------------------------------------


def test_a_due_reminder_fires_once_and_is_done(manager, django_capture_on_commit_callbacks):
    partner = PartnerFactory(manager=manager)
    reminder = due_reminder(user=manager, record=partner)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_fire_due() == 1
        assert reminders_fire_due() == 0
    notice = Notification.objects.get()
    assert notice.user == manager
    assert notice.text == f"{partner.name}: Call back"
    assert notice.link == f"/partners/{partner.pk}/"
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE and reminder.next_fire_at is None
    assert not DBTaskResult.objects.exists()  # no e-mail asked for


def test_of_two_workers_that_read_the_same_due_reminder_only_one_fires_it(manager):
    reminder = due_reminder(user=manager, record=PartnerFactory(manager=manager))
    first, second = Reminder.objects.get(pk=reminder.pk), Reminder.objects.get(pk=reminder.pk)
    now = timezone.now()
    outcomes = [reminder_fire(first, record=None, now=now), reminder_fire(second, record=None, now=now)]
    assert outcomes == [True, False]
    assert Notification.objects.count() == 1


def test_a_repeating_reminder_moves_to_its_next_time(manager):
    reminder = due_reminder(user=manager, record=PartnerFactory(manager=manager), repeat=ReminderRepeat.DAILY)
    first_due = reminder.next_fire_at
    reminders_fire_due()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.ACTIVE
    assert reminder.next_fire_at == first_due + datetime.timedelta(days=1)
    assert reminders_fire_due() == 0  # not again before that


def test_a_reminder_by_email_queues_the_letter_on_commit(manager, django_capture_on_commit_callbacks):
    due_reminder(user=manager, record=PartnerFactory(manager=manager), by_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_fire_due()
    task = DBTaskResult.objects.get()
    assert task.task_path == "sdelka.activities.tasks.send_notification_email"
    assert task.args_kwargs["args"] == [Notification.objects.get().pk]


def test_one_day_before_the_deals_planned_close_date_it_fires_on_the_right_day(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 3, 20))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "offset_days": -1}
    reminder = reminder_create(actor=manager, data=data, now=NOW)
    assert reminder.next_fire_at == local(2026, 3, 19)
    assert reminders_fire_due(now=local(2026, 3, 19, 8, 59)) == 0
    assert reminders_fire_due(now=local(2026, 3, 19, 9, 0)) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE


def test_a_moved_close_date_moves_the_reminder(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 3, 20))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "offset_days": -1}
    reminder = reminder_create(actor=manager, data=data, now=NOW)
    Deal.objects.filter(pk=deal.pk).update(planned_close_date=datetime.date(2026, 3, 25))
    assert reminders_recompute_relative(now=NOW) == 1
    reminder.refresh_from_db()
    assert reminder.next_fire_at == local(2026, 3, 24)
    assert reminder.anchor_date == datetime.date(2026, 3, 25)


def test_a_date_moved_after_the_periodic_pass_is_noticed_when_firing(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 3, 20))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "offset_days": -1}
    reminder = reminder_create(actor=manager, data=data, now=NOW)
    Deal.objects.filter(pk=deal.pk).update(planned_close_date=datetime.date(2026, 4, 1))
    assert reminders_fire_due(now=local(2026, 3, 19, 9, 0)) == 0
    reminder.refresh_from_db()
    assert reminder.next_fire_at == local(2026, 3, 31)
    assert not Notification.objects.exists()


def test_a_fired_reminder_comes_back_when_the_date_is_postponed(manager):
    deal = DealFactory(manager=manager, planned_close_date=datetime.date(2026, 3, 20))
    data = {**fixed(deal), "timing": "relative", "date_field": "planned_close_date", "offset_days": -1}
    reminder = reminder_create(actor=manager, data=data, now=NOW)
    reminders_fire_due(now=local(2026, 3, 19, 9, 0))
    Deal.objects.filter(pk=deal.pk).update(planned_close_date=datetime.date(2026, 4, 10))
    reminders_recompute_relative(now=local(2026, 3, 19, 10, 0))
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.ACTIVE
    assert reminder.next_fire_at == local(2026, 4, 9)
