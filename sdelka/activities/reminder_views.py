"""Pages of reminders: my reminders, and creating, editing and deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sdelka.activities.models import Reminder, ReminderTiming
from sdelka.activities.reminder_forms import ReminderForm
from sdelka.activities.selectors import reminders as selectors
from sdelka.activities.services import reminders as services
from sdelka.activities.targets import target_for
from sdelka.core.views import ensure_role, form_page, paginate


def _reminder_or_404(user, pk) -> Reminder:
    try:
        return selectors.reminder_get(user=user, pk=pk)
    except Reminder.DoesNotExist as error:
        raise Http404 from error


def _label(reminder: Reminder) -> str:
    return f"{reminder.target_type.app_label}.{reminder.target_type.model}"


def describe_when(reminder: Reminder) -> str:
    """ "At 01.03.2025 09:00", or "1 day before planned close date, at 09:00", as people say it."""
    if reminder.timing == ReminderTiming.FIXED:
        return (
            date_format(timezone.localtime(reminder.remind_at), "SHORT_DATETIME_FORMAT")
            if reminder.remind_at
            else ""
        )
    target = target_for(_label(reminder))
    date = target.date(reminder.date_field) if target else None
    name = str(date.label) if date else reminder.date_field
    days = abs(reminder.offset_days)
    time = reminder.at_time.strftime("%H:%M")
    if reminder.offset_days < 0:
        return ngettext(
            "%(days)d day before the %(date)s, at %(time)s",
            "%(days)d days before the %(date)s, at %(time)s",
            days,
        ) % {"days": days, "date": name, "time": time}
    if reminder.offset_days > 0:
        return ngettext(
            "%(days)d day after the %(date)s, at %(time)s",
            "%(days)d days after the %(date)s, at %(time)s",
            days,
        ) % {"days": days, "date": name, "time": time}
    return _("On the %(date)s, at %(time)s") % {"date": name, "time": time}


def _record_link(reminder: Reminder) -> str:
    target = target_for(_label(reminder))
    record = reminder.target
    return target.url(record) if target and record is not None else ""


@login_required
def reminder_list(request):
    ensure_role(request.user, "view", "reminder")
    page = paginate(
        selectors.reminder_list(user=request.user).order_by("status", "next_fire_at", "id"),
        request.GET.get("page"),
    )
    for reminder in page.object_list:
        reminder.when = describe_when(reminder)
        reminder.record_link = _record_link(reminder)
    return render(request, "activities/reminders.html", {"page": page})


def _initial_target(request) -> tuple[dict, object | None]:
    """A reminder started from a record's page: ``?target_type=deals.deal&target_id=5``, if the user sees it."""
    label, record_id = request.GET.get("target_type", ""), request.GET.get("target_id", "")
    target = target_for(label)
    if target is None or not record_id.isdigit():
        return {}, None
    record = target.scope(request.user).filter(pk=record_id).first()
    if record is None:
        return {}, None
    return {"target_type": label.lower(), "target_id": int(record_id)}, record


def _reminder_form_page(request, reminder: Reminder | None, form: ReminderForm, record=None):
    def save(data: dict) -> Reminder:
        if reminder is None:
            return services.reminder_create(actor=request.user, data=data)
        return services.reminder_update(actor=request.user, reminder=reminder, data=data)

    return form_page(
        request,
        form,
        save=save,
        template="activities/reminders_form.html",
        context={"reminder": reminder, "record": record if reminder is None else reminder.target},
        success=lambda saved: (
            _("Reminder saved: %(when)s.")
            % {"when": date_format(timezone.localtime(saved.next_fire_at), "SHORT_DATETIME_FORMAT")}
            if saved.next_fire_at
            else _("Reminder saved.")
        ),
        next_url=lambda saved: reverse("activities:reminder_list"),
        instance=reminder,
    )


@login_required
def reminder_create(request):
    ensure_role(request.user, "add", "reminder")
    initial, record = _initial_target(request)
    return _reminder_form_page(request, None, ReminderForm(request.POST or None, initial=initial), record)


@login_required
def reminder_edit(request, pk: int):
    reminder = _reminder_or_404(request.user, pk)
    ensure_role(request.user, "change", "reminder")
    return _reminder_form_page(request, reminder, ReminderForm(request.POST or None, instance=reminder))


@login_required
def reminder_delete(request, pk: int):
    reminder = _reminder_or_404(request.user, pk)
    ensure_role(request.user, "delete", "reminder")
    if request.method == "POST":
        services.reminder_delete(actor=request.user, reminder=reminder)
        messages.success(request, _("Reminder deleted."))
        return redirect("activities:reminder_list")
    return render(request, "activities/reminders_confirm_delete.html", {"reminder": reminder})
