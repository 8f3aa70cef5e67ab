"""Models of activities: reminders and in-app notifications, and the background worker's state."""

from sdelka.activities.models.mailing_rules import (
    FiringOutcome,
    MailingRule,
    MailingRuleFiring,
    RuleAction,
    RuleTrigger,
)
from sdelka.activities.models.notifications import EmailStatus, Notification
from sdelka.activities.models.reminders import Reminder, ReminderRepeat, ReminderStatus, ReminderTiming
from sdelka.activities.models.tasks import OPEN_STATUSES, Task, TaskPriority, TaskStatus  # noqa: F401
from sdelka.activities.models.worker import PeriodicJobState, TaskFailure, WorkerHeartbeat

__all__ = [
    "EmailStatus",
    "FiringOutcome",
    "MailingRule",
    "MailingRuleFiring",
    "Notification",
    "PeriodicJobState",
    "Reminder",
    "ReminderRepeat",
    "ReminderStatus",
    "ReminderTiming",
    "RuleAction",
    "RuleTrigger",
    "TaskFailure",
    "WorkerHeartbeat",
]
