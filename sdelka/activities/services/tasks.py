"""Writes of tasks: create, change, start, complete, cancel, reopen, delete.

Every action runs in one transaction on the locked task row, so two clicks on "complete" never complete it
twice. Completing a step of a typical sale moves its deal on through the deal services
(``sdelka.activities.process``), in the same transaction: if the deal refuses, the task stays open.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.activities import process
from sdelka.activities.models import OPEN_STATUSES, Task, TaskStatus
from sdelka.activities.selectors.tasks import (
    SUBJECT_TYPES,
    subject_key,
    task_covered_user_ids,
    visible_subjects,
)
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save

TASK_FIELDS = ("title", "description", "assignee", "due_at", "priority")
OUTCOMES = ("won", "lost")


def ensure_assignable(actor, user: User | None, *, field: str) -> None:
    """A manager may give work only to themself, a head to anyone of the team, an administrator to anyone.

    The same rule as a deal's responsible manager; the system (``actor`` None) may assign anyone active.
    """
    if user is None:
        raise ValidationError({field: _("Choose who is responsible.")})
    if not user.is_active:
        raise ValidationError(
            {field: _("%(user)s is deactivated and cannot be responsible.") % {"user": user}}
        )
    covered = task_covered_user_ids(actor) if isinstance(actor, User) else None
    if covered is not None and not covered.filter(pk=user.pk).exists():
        raise ValidationError(
            {field: _("You cannot make %(user)s responsible: they are outside your team.") % {"user": user}}
        )


def _set_subject(actor, task: Task, subject) -> bool:
    """Point the task at ``subject`` (a record of ``SUBJECT_TYPES`` the actor sees, or None)."""
    from django.contrib.contenttypes.models import ContentType

    if subject is None:
        changed = task.subject_type_id is not None
        task.subject_type, task.subject_id = None, None
        return changed
    key = subject_key(subject)
    if key is None:
        raise ValidationError({"subject": _("A task cannot be about this kind of record.")})
    if isinstance(actor, User):
        visible = visible_subjects(key, user=actor)
        if visible is None or not visible.filter(pk=subject.pk).exists():
            raise ValidationError({"subject": _("%(type)s not found.") % {"type": SUBJECT_TYPES[key][2]}})
    content_type = ContentType.objects.get_for_model(subject)
    changed = (task.subject_type_id, task.subject_id) != (content_type.pk, subject.pk)
    task.subject_type, task.subject_id = content_type, subject.pk
    return changed


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).get(pk=task.pk)


def _ensure_open(task: Task) -> None:
    if task.status not in OPEN_STATUSES:
        raise ValidationError(
            _("The task is %(status)s already.") % {"status": task.get_status_display().lower()}
        )


def _is_lead(actor) -> bool:
    return isinstance(actor, User) and actor.effective_role in (Role.HEAD, Role.ADMIN)


def _ensure_author_or_lead(actor, task: Task, message: str) -> None:
    """Cancelling and reopening belong to whoever set the task, or to a head (who sees it through the team)."""
    if actor is None or _is_lead(actor) or task.author_id == actor.pk:
        return
    raise PermissionDenied(message)


@transaction.atomic
def task_create(*, actor, data: dict) -> Task:
    """A new task; the assignee is the actor unless given. ``subject`` is a record or None."""
    ensure_role_can(actor, "add", "task")
    data = dict(data)
    subject = data.pop("subject", None)
    task = Task(author=actor if isinstance(actor, User) else None)
    model_assign(task, data, TASK_FIELDS)
    if task.assignee_id is None and isinstance(actor, User):
        task.assignee = actor
    ensure_assignable(actor, task.assignee if task.assignee_id else None, field="assignee")
    _set_subject(actor, task, subject)
    validate_and_save(task, actor=actor)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, data: dict) -> Task:
    """Change an open task's fields. A business-process step keeps its subject (its deal)."""
    ensure_role_can(actor, "change", "task")
    locked = _lock(task)
    _ensure_open(locked)
    data = dict(data)
    has_subject, subject = "subject" in data, data.pop("subject", None)
    changed = model_assign(locked, data, TASK_FIELDS)
    if "assignee" in changed:
        ensure_assignable(actor, locked.assignee, field="assignee")
    if has_subject:
        if locked.process_stage_id and (
            subject is None or (subject_key(subject), subject.pk) != ("deal", locked.subject_id)
        ):
            raise ValidationError({"subject": _("A step of a deal's process stays with its deal.")})
        if _set_subject(actor, locked, subject):
            changed.append("subject")
    if changed:
        validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def task_start(*, actor, task: Task) -> Task:
    ensure_role_can(actor, "change", "task")
    locked = _lock(task)
    if locked.status != TaskStatus.NEW:
        raise ValidationError(_("Only a new task can be started."))
    locked.status = TaskStatus.IN_PROGRESS
    validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def task_complete(
    *,
    actor,
    task: Task,
    result: str = "",
    outcome: str | None = None,
    lost_reason=None,
    competitor=None,
) -> Task:
    """Done, with a result. A step of a typical sale moves its deal to the next stage; at the last stage
    ``outcome`` ("won" or "lost", the latter with ``lost_reason``) is required and decides the deal."""
    ensure_role_can(actor, "change", "task")
    locked = _lock(task)
    _ensure_open(locked)
    if outcome is not None and outcome not in OUTCOMES:
        raise ValidationError({"outcome": _("Choose won or lost.")})
    deal = process.deal_driven_by(locked)
    at_last_stage = deal is not None and process.is_last_stage(deal)
    if at_last_stage and outcome is None:
        raise ValidationError(
            {"outcome": _("This is the last stage of the sale: say whether the deal is won or lost.")}
        )
    if outcome is not None and not at_last_stage:
        raise ValidationError(
            {"outcome": _("The outcome is asked only at the last stage of a typical sale.")}
        )
    if (lost_reason is not None or competitor is not None) and outcome != "lost":
        raise ValidationError({"lost_reason": _("A lost reason is given only when the deal is lost.")})
    locked.status = TaskStatus.DONE
    locked.completed_at = timezone.now()
    locked.result = result
    validate_and_save(locked, actor=actor)
    if deal is not None:
        process.advance(deal, actor=actor, outcome=outcome, lost_reason=lost_reason, competitor=competitor)
    return locked


@transaction.atomic
def task_cancel(*, actor, task: Task, result: str = "") -> Task:
    ensure_role_can(actor, "change", "task")
    locked = _lock(task)
    _ensure_author_or_lead(actor, locked, _("Only the task's author or a head can cancel it."))
    _ensure_open(locked)
    locked.status = TaskStatus.CANCELLED
    locked.completed_at = timezone.now()
    locked.result = result
    validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def task_reopen(*, actor, task: Task) -> Task:
    """Back in progress from done or cancelled. A step of a deal's process reopens only while its deal is still
    at that stage in progress with no other open step — otherwise the deal has moved on."""
    ensure_role_can(actor, "change", "task")
    locked = _lock(task)
    _ensure_author_or_lead(actor, locked, _("Only the task's author or a head can reopen it."))
    if locked.status in OPEN_STATUSES:
        raise ValidationError(_("The task is open already."))
    if locked.process_stage_id and not process.can_reopen(locked):
        raise ValidationError(_("The deal has moved on since; this step cannot be reopened."))
    locked.status = TaskStatus.IN_PROGRESS
    locked.completed_at = None
    validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def task_delete(*, actor, task: Task) -> None:
    ensure_role_can(actor, "delete", "task")
    if task.process_stage_id and task.status in OPEN_STATUSES:
        raise ValidationError(_("This is the open step of a deal's process; cancel it instead."))
    task._history_user = actor
    task.delete()
