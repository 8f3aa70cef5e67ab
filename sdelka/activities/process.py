"""The business process of a typical sale: each stage of a deal is a task for its manager.

When a typical-sale deal is created or enters a stage, a task "<stage>: <deal>" is set for the deal's manager,
about the deal. Completing that task moves the deal to the next stage through the deal service (with the
deal's current version and all its rules); at the last stage it wins or loses the deal. Whenever the deal
leaves that stage another way (moved by hand, won, lost, closed), the open step is cancelled with a note;
when the deal is reopened, the step of the stage it is at is set again. Manual-stage deals may have tasks,
but nothing moves by itself.

The deal services call :func:`on_deal_changed` at the end of each write, inside their transaction, so the
deals app knows nothing of tasks but "tell the process what happened".
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.activities.models import OPEN_STATUSES, Task, TaskPriority, TaskStatus
from sdelka.core.services import validate_and_save
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import Deal, Stage

#: how long a step takes when the deal has no planned close date
DEFAULT_STEP_DAYS = 3
#: the hour a step is due on the planned close date (local time)
DUE_HOUR = time(18, 0)

EVENTS = ("created", "stage_changed", "manager_changed", "won", "lost", "closed", "reopened")


def _cancel_note(event: str) -> str:
    return {
        "won": _("deal won"),
        "lost": _("deal lost"),
        "closed": _("deal closed"),
    }.get(event, _("stage changed"))


def _deal_type() -> ContentType:
    return ContentType.objects.get_for_model(Deal)


def _steps_of(deal: Deal):
    return Task.objects.filter(subject_type=_deal_type(), subject_id=deal.pk, process_stage__isnull=False)


def runs_process(deal: Deal) -> bool:
    """A typical-sale deal in progress, not closed, at a stage: its current stage has a step."""
    return (
        deal.kind.process_type == ProcessType.TYPICAL
        and deal.stage_id is not None
        and deal.status == DealStatus.IN_PROGRESS
        and not deal.closed
    )


def step_due(deal: Deal) -> datetime:
    """The end of the working day of the deal's planned close date, or three days from now without one."""
    if deal.planned_close_date:
        return timezone.make_aware(datetime.combine(deal.planned_close_date, DUE_HOUR))
    return timezone.now() + timedelta(days=DEFAULT_STEP_DAYS)


def step_title(stage: Stage, deal: Deal) -> str:
    return f"{stage.name}: {deal.name}"[:255]


def on_deal_changed(deal: Deal, *, actor, event: str) -> None:
    """Keep the deal's process steps in line with the deal after ``event`` (see ``EVENTS``).

    Open steps of any other stage (or of any stage once the deal is won, lost or closed) are cancelled;
    a typical-sale deal in progress gets the step of its current stage if it has none open.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown deal event {event!r}")
    active = runs_process(deal)
    stale = _steps_of(deal).filter(status__in=OPEN_STATUSES)
    if active:
        stale = stale.exclude(process_stage_id=deal.stage_id)
    now = timezone.now()
    if event == "manager_changed":
        # The open step follows the deal to its new manager; the old one has nothing to do any more.
        for task in _steps_of(deal).filter(status__in=OPEN_STATUSES).exclude(assignee_id=deal.manager_id):
            task.assignee_id = deal.manager_id
            validate_and_save(task, actor=actor)
    for task in stale:
        task.status = TaskStatus.CANCELLED
        task.completed_at = now
        task.result = _cancel_note(event)
        validate_and_save(task, actor=actor)
    if active and not _steps_of(deal).filter(status__in=OPEN_STATUSES).exists():
        stage = deal.stage
        task = Task(
            title=step_title(stage, deal),
            assignee_id=deal.manager_id,
            author=actor if isinstance(actor, User) else None,
            due_at=step_due(deal),
            priority=TaskPriority.NORMAL,
            subject_type=_deal_type(),
            subject_id=deal.pk,
            process_stage=stage,
        )
        validate_and_save(task, actor=actor)


def deal_driven_by(task: Task) -> Deal | None:
    """The deal that completing ``task`` moves on: the task is the step of the stage its deal is at now."""
    if task.process_stage_id is None or task.subject_type_id != _deal_type().pk:
        return None
    deal = Deal.objects.select_related("kind", "stage").filter(pk=task.subject_id).first()
    if deal is None or not runs_process(deal) or deal.stage_id != task.process_stage_id:
        return None
    return deal


def next_stage(deal: Deal) -> Stage | None:
    return deal.kind.stages.filter(order__gt=deal.stage.order).order_by("order", "id").first()


def is_last_stage(deal: Deal) -> bool:
    return next_stage(deal) is None


def advance(deal: Deal, *, actor, outcome: str | None, lost_reason=None, competitor=None) -> Deal:
    """Move the deal on after its current step is done: to the next stage, or won/lost at the last one."""
    from sdelka.deals import services as deal_services

    following = next_stage(deal)
    if following is not None:
        return deal_services.deal_move_to_stage(actor=actor, deal=deal, stage=following, version=deal.version)
    if outcome == "won":
        return deal_services.deal_mark_won(actor=actor, deal=deal, version=deal.version)
    return deal_services.deal_mark_lost(
        actor=actor, deal=deal, version=deal.version, lost_reason=lost_reason, competitor=competitor
    )


def can_reopen(task: Task) -> bool:
    """A step reopens only while its deal is at that stage, in progress, and has no other open step."""
    deal = Deal.objects.select_related("kind", "stage").filter(pk=task.subject_id).first()
    if deal is None or not runs_process(deal) or deal.stage_id != task.process_stage_id:
        return False
    return not _steps_of(deal).filter(status__in=OPEN_STATUSES).exclude(pk=task.pk).exists()
