"""Pages of marketing events: the list, the month calendar, the form, and the event with its tabs where
participants and expenses are changed in place (htmx).

Events are shared by everyone (marketers keep them); the partners, deals and interactions shown on an
event are only those the user sees. An action answers the refreshed tabs: 200, or 400 with the errors
(htmx swaps 400s in); without htmx a success redirects back to the tab.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sdelka.accounts.models import User
from sdelka.accounts.permissions import role_can
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import render_page_or_fragment, wants_fragment
from sdelka.core.tree import subtree_filter
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.marketing import reports, selectors, services
from sdelka.marketing.choices import PARTICIPANT_STATUS_ORDER, EventKind
from sdelka.marketing.forms import (
    EventListFilterForm,
    ExpenseForm,
    MarketingEventForm,
    ParticipantAddForm,
    ParticipantStatusForm,
)
from sdelka.marketing.models import MarketingEvent, MarketingEventExpense, MarketingEventParticipant

EVENT_SORTS = {
    "name": ("name",),
    "start": ("start_date",),
    "kind": ("kind",),
    "budget": ("planned_budget",),
    "expenses": ("expense_total",),
    "participants": ("participant_count",),
}
TABS = (
    ("main", gettext_lazy("Main")),
    ("participants", gettext_lazy("Participants")),
    ("expenses", gettext_lazy("Expenses")),
    ("deals", gettext_lazy("Deals")),
    ("interactions", gettext_lazy("Interactions")),
    ("history", gettext_lazy("History")),
)
DETAIL_TEMPLATE = "marketing/event_detail.html"
TABS_FRAGMENT = "marketing/partials/_event_tabs.html"
TAB_LIMIT = 200


def event_or_404(pk) -> MarketingEvent:
    try:
        return selectors.marketing_event_get(pk=pk)
    except MarketingEvent.DoesNotExist as error:
        raise Http404 from error


# --- the list and the calendar ---------------------------------------------------------------------------------


def _apply_filters(events, cleaned: dict):
    text = (cleaned.get("q") or "").strip()
    if text:
        events = events.filter(Q(name__icontains=text) | Q(audience__icontains=text))
    if cleaned.get("kind"):
        events = events.filter(kind=cleaned["kind"])
    if cleaned.get("channel"):
        events = events.filter(subtree_filter(cleaned["channel"], field="channel"))
    if cleaned.get("responsible"):
        events = events.filter(responsible=cleaned["responsible"])
    if cleaned.get("start_from"):
        events = events.filter(start_date__gte=cleaned["start_from"])
    if cleaned.get("start_to"):
        events = events.filter(start_date__lte=cleaned["start_to"])
    return events


@login_required
def event_list(request):
    query = request.GET
    form = EventListFilterForm(query)
    cleaned = form.cleaned_data if form.is_valid() else {}
    events = _apply_filters(selectors.marketing_event_list_with_totals(), cleaned)
    events, sort = apply_sort(events, query.get("sort"), EVENT_SORTS, "-start")
    page = paginate(events, query.get("page"))
    from sdelka.core.forms import group_choices
    from sdelka.marketing.models import AdChannel

    return render(
        request,
        "marketing/event_list.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "sort": sort,
            "kinds": EventKind.choices,
            "channel_options": group_choices(AdChannel.objects.all(), empty_label=_("Any channel"))[1:],
            "responsibles": User.objects.filter(marketing_events__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "username"),
            "can_add": role_can(request.user, "add", "marketing_event"),
        },
    )


def _month_of(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 1900 <= year <= 2999:
        return today.year, today.month
    return year, month


@login_required
def event_calendar(request):
    """A month as weeks of days, each day with the events taking place on it."""
    year, month = _month_of(request.GET.get("month"))
    events = list(selectors.events_in_month(year=year, month=month))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "events": [e for e in events if e.start_date <= day <= e.end_date],
                }
                for day in week
            ]
        )
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "marketing/event_calendar.html",
        {
            "weeks": weeks,
            "month": date(year, month, 1),
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "today": timezone.localdate(),
            "weekdays": [week_day for week_day in weeks[0]] if weeks else [],
            "can_add": role_can(request.user, "add", "marketing_event"),
        },
    )


# --- the form ------------------------------------------------------------------------------------------------


@login_required
def event_create(request):
    ensure_role(request.user, "add", "marketing_event")
    return form_page(
        request,
        MarketingEventForm(request.POST or None, actor=request.user),
        save=lambda data: services.marketing_event_create(actor=request.user, data=data),
        template="marketing/event_form.html",
        context={"event": None},
        success=lambda event: _("Marketing event “%(name)s” created.") % {"name": event.name},
        next_url=lambda event: reverse("marketing:event_detail", args=[event.pk]),
    )


@login_required
def event_edit(request, pk: int):
    event = event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    return form_page(
        request,
        MarketingEventForm(request.POST or None, instance=event, actor=request.user),
        save=lambda data: services.marketing_event_update(actor=request.user, event=event, data=data),
        template="marketing/event_form.html",
        context={"event": event},
        success=lambda saved: _("Marketing event “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("marketing:event_detail", args=[saved.pk]),
        instance=event,
    )


@login_required
def event_delete(request, pk: int):
    event = event_or_404(pk)
    ensure_role(request.user, "delete", "marketing_event")
    if request.method == "POST":
        name = event.name
        try:
            services.marketing_event_delete(actor=request.user, event=event)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("marketing:event_detail", pk=pk)
        messages.success(request, _("Marketing event “%(name)s” deleted.") % {"name": name})
        return redirect("marketing:event_list")
    return render(request, "marketing/event_confirm_delete.html", {"event": event})


# --- the event with its tabs ---------------------------------------------------------------------------------


def tab_context(request, event: MarketingEvent, tab: str, **extra) -> dict:
    user = request.user
    can_change = role_can(user, "change", "marketing_event")
    context = {
        "event": event,
        "tab": tab,
        "tabs": TABS,
        "can_change": can_change,
        "can_delete": role_can(user, "delete", "marketing_event"),
        "counts": selectors.event_participant_counts(event=event),
    }
    if tab == "main":
        # The event's effectiveness so far: from its start to today (the report's figures).
        until = max(timezone.localdate(), event.start_date)
        rows = reports.event_effectiveness_report(
            user=user, date_from=event.start_date, date_to=until, event=event
        )
        context["effect"] = rows[0] if rows else None
        context["effect_until"] = until
    elif tab == "participants":
        context["participants"] = selectors.event_participants(user=user, event=event)
        context["statuses"] = PARTICIPANT_STATUS_ORDER
        if can_change:
            context.setdefault("participant_form", ParticipantAddForm(actor=user, event=event))
    elif tab == "expenses":
        context["expenses"] = selectors.event_expenses(event=event)
        if can_change:
            context.setdefault("expense_form", ExpenseForm())
    elif tab == "deals":
        context["deals"] = selectors.event_deals(user=user, event=event)[:TAB_LIMIT]
    elif tab == "interactions":
        context["interactions"] = selectors.event_interactions(user=user, event=event)[:TAB_LIMIT]
    elif tab == "history":
        context["history"] = history_for(event)
    context.update(extra)
    return context


def render_tab(request, pk: int, tab: str, status: int = 200, **extra):
    event = event_or_404(pk)
    return render_page_or_fragment(
        request, DETAIL_TEMPLATE, TABS_FRAGMENT, tab_context(request, event, tab, **extra), status=status
    )


def tab_url(pk: int, tab: str) -> str:
    return f"{reverse('marketing:event_detail', args=[pk])}?tab={tab}"


def _done(request, pk: int, tab: str, success: str):
    messages.success(request, success)
    if wants_fragment(request):
        return render_tab(request, pk, tab)
    return redirect(tab_url(pk, tab))


def _error_status(request) -> int:
    return 400 if wants_fragment(request) else 200


@login_required
def event_detail(request, pk: int):
    tab = request.GET.get("tab", "main")
    if tab not in dict(TABS):
        tab = "main"
    return render_tab(request, pk, tab)


@require_POST
@login_required
def participant_add(request, pk: int):
    event = event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    form = ParticipantAddForm(request.POST, actor=request.user, event=event)
    if form.is_valid():
        from sdelka.partners.selectors import partner_list

        cleaned = form.cleaned_data
        try:
            added = 0
            partners = list(cleaned["partners"] or [])
            if cleaned["group"] is not None:
                group_filter = subtree_filter(
                    cleaned["group"], include_subgroups=cleaned["include_subgroups"]
                )
                partners += list(partner_list(user=request.user).prefetch_related(None).filter(group_filter))
            if partners:
                added += services.event_participants_add(actor=request.user, event=event, partners=partners)
            if cleaned["segment"] is not None:
                added += services.event_segment_invite(
                    actor=request.user,
                    event=event,
                    segment=cleaned["segment"],
                    partners=partner_list(user=request.user).prefetch_related(None),
                )
            if cleaned["contact"] is not None:
                services.event_participant_add(actor=request.user, event=event, contact=cleaned["contact"])
                added += 1
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            success = ngettext("%(n)d participant added.", "%(n)d participants added.", added) % {"n": added}
            return _done(request, pk, "participants", success)
    return render_tab(request, pk, "participants", status=_error_status(request), participant_form=form)


def _participant_or_404(user, event_pk: int, pk: int) -> MarketingEventParticipant:
    from sdelka.partners.selectors import partner_scope

    try:
        return (
            MarketingEventParticipant.objects.filter(partner_scope(user, prefix="partner__"))
            .select_related("event", "partner", "contact")
            .get(event_id=event_pk, pk=pk)
        )
    except MarketingEventParticipant.DoesNotExist as error:
        raise Http404 from error


@require_POST
@login_required
def participant_status(request, pk: int, participant_pk: int):
    """Change a participant's status in place; htmx gets the participants tab back."""
    event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    participant = _participant_or_404(request.user, pk, participant_pk)
    form = ParticipantStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a status from the list."))
        services.event_participant_set_status(
            actor=request.user, participant=participant, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if wants_fragment(request):
            return render_tab(request, pk, "participants", status=400)
        return redirect(tab_url(pk, "participants"))
    return _done(
        request,
        pk,
        "participants",
        _("%(who)s: %(status)s.") % {"who": participant, "status": participant.get_status_display().lower()},
    )


@require_POST
@login_required
def participant_remove(request, pk: int, participant_pk: int):
    event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    participant = _participant_or_404(request.user, pk, participant_pk)
    services.event_participant_remove(actor=request.user, participant=participant)
    return _done(request, pk, "participants", _("%(who)s removed from the event.") % {"who": participant})


@require_POST
@login_required
def expense_add(request, pk: int):
    event = event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    form = ExpenseForm(request.POST)
    if form.is_valid():
        try:
            services.event_expense_add(actor=request.user, event=event, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _done(request, pk, "expenses", _("The expense is added."))
    return render_tab(request, pk, "expenses", status=_error_status(request), expense_form=form)


@require_POST
@login_required
def expense_delete(request, pk: int, expense_pk: int):
    event_or_404(pk)
    ensure_role(request.user, "change", "marketing_event")
    try:
        expense = MarketingEventExpense.objects.get(event_id=pk, pk=expense_pk)
    except MarketingEventExpense.DoesNotExist as error:
        raise Http404 from error
    services.event_expense_delete(actor=request.user, expense=expense)
    return _done(request, pk, "expenses", _("The expense is deleted."))
