"""The background worker: queued tasks (django-tasks, database backend) and a periodic schedule defined in code.

Queued work is Django's task API (``@task`` functions in each app's ``tasks.py``, ``.enqueue()``d on commit);
django-tasks-db keeps it in the database, and its worker machinery claims and runs it. Around that we add
what a CRM needs and the library lacks:

- **periodic jobs** — each app registers them in its ``jobs.py`` with :func:`periodic` ("due reminders" every
  minute, "idle deals" daily…). Time is cut into slots of the job's interval (counted from the Unix epoch);
  a worker runs a job only after its UPDATE moved the job's ``last_slot`` forward, so with several workers
  a slot runs once, and a restart does not run it again;
- **retries** — a failing task is recorded (:class:`~sdelka.activities.models.TaskFailure`) and queued again
  after a growing delay, up to ``SDELKA_TASK_MAX_ATTEMPTS`` attempts; it never stops the worker;
- **a heartbeat** — a row per worker, so that pages can say the worker is not running.

``manage.py worker`` runs this loop; ``manage.py worker --once`` runs everything due and exits.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseTaskWorker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("sdelka.worker")

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
STALE_HEARTBEAT = datetime.timedelta(days=1)


# --- the periodic schedule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodicJob:
    """A job the worker runs once per ``interval``; ``func(now)`` does the work."""

    name: str
    interval: datetime.timedelta
    func: Callable[[datetime.datetime], object]


_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, *, every: datetime.timedelta) -> Callable:
    """Register the decorated ``func(now)`` as the periodic job ``name`` (in an app's ``jobs.py``)."""
    if every <= datetime.timedelta(0):
        raise ValueError("A periodic job needs a positive interval.")

    def decorator(func: Callable[[datetime.datetime], object]) -> Callable:
        existing = _JOBS.get(name)
        # Reloaded modules register the same function again; two different ones under a name is a bug.
        if existing is not None and (existing.func.__module__, existing.func.__qualname__) != (
            func.__module__,
            func.__qualname__,
        ):
            raise ValueError(f"Periodic job {name!r} is already registered.")
        _JOBS[name] = PeriodicJob(name=name, interval=every, func=func)
        return func

    return decorator


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered job (each installed app's ``jobs.py`` is imported first), by name."""
    autodiscover_modules("jobs")
    return sorted(_JOBS.values(), key=lambda job: job.name)


def slot_start(now: datetime.datetime, interval: datetime.timedelta) -> datetime.datetime:
    """The start of the slot ``now`` falls in: slots of ``interval`` counted from the Unix epoch (UTC).

    A daily job's slot starts at midnight UTC; every worker computes the same slot for the same moment.
    """
    elapsed = now - EPOCH
    return EPOCH + (elapsed // interval) * interval


def claim_slot(job: PeriodicJob, now: datetime.datetime) -> bool:
    """Whether this caller won the right to run ``job`` for the slot of ``now`` (only one caller does).

    The claim is one UPDATE … WHERE last_slot < slot: the database lets one of several concurrent
    UPDATEs change the row, and the others see it already moved (on PostgreSQL the row lock makes them
    re-check the condition after the winner commits).
    """
    from sdelka.activities.models import PeriodicJobState

    slot = slot_start(now, job.interval)
    if not PeriodicJobState.objects.filter(name=job.name).exists():
        try:
            with transaction.atomic():
                PeriodicJobState.objects.create(name=job.name)
        except IntegrityError:
            pass  # another worker made the row at the same moment
    claimed = (
        PeriodicJobState.objects.filter(name=job.name)
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .update(last_slot=slot, last_started_at=now)
    )
    return claimed == 1


def run_job(job: PeriodicJob, now: datetime.datetime) -> bool:
    """Run a claimed job; a failure is logged and recorded on the job's row and never raised. True if it ran."""
    from sdelka.activities.models import PeriodicJobState

    rows = PeriodicJobState.objects.filter(name=job.name)
    try:
        job.func(now)
    except Exception:
        logger.exception("Periodic job %r failed", job.name)
        rows.update(
            last_error=traceback.format_exc(), failures=F("failures") + 1, last_finished_at=timezone.now()
        )
        return False
    rows.update(last_error="", last_finished_at=timezone.now())
    return True


def run_due_periodic_jobs(
    now: datetime.datetime | None = None, *, jobs: list[PeriodicJob] | None = None
) -> list[str]:
    """Run every job whose slot has come and that no other worker claimed; the names of those run."""
    now = now or timezone.now()
    ran = []
    for job in periodic_jobs() if jobs is None else jobs:
        if claim_slot(job, now):
            run_job(job, now)
            ran.append(job.name)
    return ran


# --- heartbeat -------------------------------------------------------------------------------------------------


def heartbeat(name: str, *, started_at: datetime.datetime, now: datetime.datetime | None = None) -> None:
    from sdelka.activities.models import WorkerHeartbeat

    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"last_seen": now}, create_defaults={"started_at": started_at, "last_seen": now}
    )


def worker_alive(now: datetime.datetime | None = None) -> bool:
    """Whether some worker reported within ``SDELKA_WORKER_HEARTBEAT_TIMEOUT`` seconds."""
    from sdelka.activities.models import WorkerHeartbeat

    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.SDELKA_WORKER_HEARTBEAT_TIMEOUT)
    return WorkerHeartbeat.objects.filter(last_seen__gte=since).exists()


# --- queued tasks with retries -----------------------------------------------------------------------------


def retry_delay(attempt: int) -> datetime.timedelta:
    """The wait before attempt ``attempt + 1``: the base delay, doubled after each failure."""
    return datetime.timedelta(seconds=settings.SDELKA_TASK_RETRY_DELAY * 2 ** (attempt - 1))


class RetryingTaskWorker(DatabaseTaskWorker):
    """django-tasks-db's worker, with every failed attempt recorded and queued again while attempts remain."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            try:
                record_failure(db_task_result)
            except Exception:
                logger.exception("Could not record the failure of task %s", db_task_result.pk)


def record_failure(db_task_result: DBTaskResult) -> None:
    """Keep the failed attempt's error; queue the task again unless it has had all its attempts."""
    from sdelka.activities.models import TaskFailure

    attempt = len(db_task_result.worker_ids)
    will_retry = attempt < settings.SDELKA_TASK_MAX_ATTEMPTS
    TaskFailure.objects.create(
        task_result_id=str(db_task_result.pk),
        task_path=db_task_result.task_path,
        attempt=attempt,
        will_retry=will_retry,
        exception_class=db_task_result.exception_class_path,
        traceback=db_task_result.traceback,
    )
    if will_retry:
        DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + retry_delay(attempt)
        )
        logger.warning("Task %s failed (attempt %d); it will be retried", db_task_result.task_path, attempt)
    else:
        logger.error("Task %s failed for good after %d attempts", db_task_result.task_path, attempt)


# --- the loop -------------------------------------------------------------------------------------------------


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class Worker:
    """Runs periodic jobs and queued tasks until stopped by SIGTERM/SIGINT (or once, with ``once``)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        interval: float = 1.0,
        once: bool = False,
        backend_name: str = "default",
        queue_names: list[str] | None = None,
        batch_size: int = 50,
    ):
        self.name = name or default_worker_name()
        self.interval = interval
        self.once = once
        self.running = True
        self.started_at = timezone.now()
        self._last_beat: datetime.datetime | None = None
        self.tasks = RetryingTaskWorker(
            queue_names=queue_names or ["*"],
            interval=0,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            # In a long run, give the schedule a turn after this many tasks; once means "all that is due".
            max_tasks=None if once else batch_size,
            worker_id=self.name[:64],
            excluded_queue_names=[],
        )

    # signals
    def configure_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may install handlers (tests run workers in threads)
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    def stop(self, signum: int | None = None, frame=None) -> None:
        """Finish the current task or job, then exit; a second signal exits at once."""
        if not self.running and signum is not None:
            logger.warning("Received %s again - exiting now.", signal.strsignal(signum))
            raise SystemExit(1)
        if signum is not None:
            logger.warning("Received %s - stopping after the current work.", signal.strsignal(signum))
        self.running = False
        self.tasks.running = False

    # work
    def beat(self, now: datetime.datetime) -> None:
        if self._last_beat is None or now - self._last_beat >= HEARTBEAT_EVERY:
            heartbeat(self.name, started_at=self.started_at, now=now)
            self._last_beat = now

    def run_queued_tasks(self) -> int:
        """Run queued tasks until none is ready (or a batch is done); how many ran."""
        self.tasks._run_tasks = 0
        self.tasks.running = self.running
        self.tasks.run()
        return self.tasks._run_tasks

    def tick(self) -> int:
        """One round: heartbeat, the periodic jobs whose slot has come, then the queued tasks."""
        if not connection.in_atomic_block:
            close_old_connections()
        now = timezone.now()
        self.beat(now)
        run_due_periodic_jobs(now)
        if not self.running:
            return 0
        return self.run_queued_tasks()

    def run(self) -> None:
        from sdelka.activities.models import WorkerHeartbeat

        self.configure_signals()
        logger.info("Worker %s started", self.name)
        WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - STALE_HEARTBEAT).delete()
        try:
            while self.running:
                ran = 0
                try:
                    ran = self.tick()
                except Exception:
                    # A lost database connection or a locked SQLite file: report and try again later.
                    logger.exception("Worker round failed")
                if self.once:
                    break
                if not ran:
                    self.sleep(self.interval)
        finally:
            if not self.once:
                WorkerHeartbeat.objects.filter(name=self.name).delete()
            logger.info("Worker %s stopped", self.name)

    def sleep(self, seconds: float) -> None:
        """Sleep in short steps so that a stop request is noticed quickly."""
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
