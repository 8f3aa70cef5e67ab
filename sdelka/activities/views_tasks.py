"""Pages of tasks: "My tasks" (overdue highlighted, filters, quick complete), the team's tasks for heads,
a task's page with its actions and the complete form (which asks won or lost at a typical sale's last stage).

Every view checks the role and reads the task through the scope selector, so another's task answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sdelka.accounts.choices import Role
from sdelka.activities import process
from sdelka.activities.filters_tasks import TaskFilter
from sdelka.activities.forms_tasks import TaskCompleteForm, TaskForm
from sdelka.activities.models import Task
from sdelka.activities.selectors import tasks as selectors
from sdelka.activities.services import tasks as services
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.htmx import wants_fragment
from sdelka.core.views import ensure_role, form_page, paginate
from sdelka.deals.services import DealVersionConflict


def _task_or_404(user, pk) -> Task:
    try:
        return selectors.task_get(user=user, pk=pk)
    except Task.DoesNotExist as error:
        raise Http404 from error


def _list(request, *, team: bool):
    ensure_role(request.user, "view", "task")
    query = request.GET.copy()
    if "status" not in query:
        query["status"] = "open"
    tasks = selectors.task_list(user=request.user)
    if not team:
        tasks = tasks.filter(assignee=request.user)
    filtered = TaskFilter(query, queryset=tasks.order_by("due_at", "id"))
    page = paginate(filtered.qs, request.GET.get("page"))
    context = {
        "page": page,
        "filter": filtered,
        "team": team,
        "summary": selectors.team_task_summary(user=request.user) if team else None,
        "query": query,
    }
    return render(request, "activities/tasks_list.html", context)


@login_required
def task_list(request):
    return _list(request, team=False)


@login_required
def team_task_list(request):
    if request.user.effective_role not in (Role.HEAD, Role.ADMIN):
        raise Http404
    return _list(request, team=True)


@login_required
def task_create(request):
    ensure_role(request.user, "add", "task")
    subject = None
    key, pk = request.GET.get("subject_type"), request.GET.get("subject_id")
    if key and pk:
        try:
            subject = selectors.subject_get(key, pk, user=request.user)
        except (LookupError, ValueError) as error:
            raise Http404 from error
    form = TaskForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.task_create(actor=request.user, data={**data, "subject": subject}),
        template="activities/tasks_form.html",
        context={"subject": subject},
        success=lambda task: _("Task “%(title)s” created.") % {"title": task.title},
        next_url=lambda task: reverse("activities:task_detail", args=[task.pk]),
    )


@login_required
def task_edit(request, pk: int):
    ensure_role(request.user, "change", "task")
    task = _task_or_404(request.user, pk)
    form = TaskForm(request.POST or None, instance=task)
    return form_page(
        request,
        form,
        save=lambda data: services.task_update(actor=request.user, task=task, data=data),
        template="activities/tasks_form.html",
        context={"task": task, "subject": task.subject},
        success=lambda saved: _("Task saved."),
        next_url=lambda saved: reverse("activities:task_detail", args=[saved.pk]),
        instance=task,
    )


SUBJECT_PAGES = {
    "deal": "deals:deal_detail",
    "partner": "partners:partner_detail",
    "claim": "claims:claim_detail",
    "interaction": "interactions:interaction_detail",
}


def subject_url(task: Task) -> str | None:
    """The page of the record the task is about, when the task has one."""
    if task.subject_type_id is None:
        return None
    key = selectors.subject_key(task.subject_type)
    return reverse(SUBJECT_PAGES[key], args=[task.subject_id]) if key in SUBJECT_PAGES else None


def _asks_outcome(task: Task) -> bool:
    deal = process.deal_driven_by(task) if task.is_open else None
    return deal is not None and process.is_last_stage(deal)


@login_required
def task_detail(request, pk: int):
    ensure_role(request.user, "view", "task")
    task = _task_or_404(request.user, pk)
    asks_outcome = _asks_outcome(task)
    form = TaskCompleteForm(request.POST or None, asks_outcome=asks_outcome)
    status = 200
    if request.method == "POST":
        ensure_role(request.user, "change", "task")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_complete(
                    actor=request.user,
                    task=task,
                    result=data["result"],
                    outcome=data.get("outcome") or None,
                    lost_reason=data.get("lost_reason"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except DealVersionConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("Task “%(title)s” completed.") % {"title": task.title})
                return redirect("activities:task_detail", pk=task.pk)
        status = 400
    context = {
        "task": task,
        "form": form,
        "asks_outcome": asks_outcome,
        "history": history_for(task),
        "subject_url": subject_url(task),
    }
    return render(request, "activities/tasks_detail.html", context, status=status)


ACTIONS = {
    "start": (services.task_start, gettext_lazy("Task started.")),
    "cancel": (services.task_cancel, gettext_lazy("Task cancelled.")),
    "reopen": (services.task_reopen, gettext_lazy("Task reopened.")),
}


@require_POST
@login_required
def task_action(request, pk: int, action: str):
    """Start, cancel, reopen, or the quick "done" of a list row (a step at the last stage opens its form)."""
    ensure_role(request.user, "change", "task")
    task = _task_or_404(request.user, pk)
    back = request.POST.get("next") or reverse("activities:task_detail", args=[task.pk])
    if not back.startswith("/"):
        back = reverse("activities:task_detail", args=[task.pk])
    try:
        if action == "complete":
            if _asks_outcome(task):
                messages.info(
                    request, _("This is the last stage of the sale: say whether the deal is won or lost.")
                )
                return redirect("activities:task_detail", pk=task.pk)
            services.task_complete(actor=request.user, task=task, result=request.POST.get("result", ""))
            messages.success(request, _("Task “%(title)s” completed.") % {"title": task.title})
        elif action in ACTIONS:
            service, message = ACTIONS[action]
            service(actor=request.user, task=task)
            messages.success(request, message)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DealVersionConflict as conflict:
        messages.error(request, str(conflict))
    if wants_fragment(request):
        response = redirect(back)
        response["HX-Redirect"] = back
        return response
    return redirect(back)
