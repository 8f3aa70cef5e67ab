"""The background worker: periodic slots run once across workers, failures are recorded and retried."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sdelka.activities.models import PeriodicJobState, TaskFailure, WorkerHeartbeat
from sdelka.activities.tests.worker_tasks import always_fails, leaves_a_mark
from sdelka.core.worker import (
    PeriodicJob,
    Worker,
    claim_slot,
    periodic_jobs,
    run_due_periodic_jobs,
    slot_start,
)

# The worker's loop runs in real transactions (and closes stale connections between rounds), so the tests
# that run it are transactional; the others run inside a test transaction.
pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(hour, minute=0, second=0) -> datetime.datetime:
    return datetime.datetime(2026, 3, 10, hour, minute, second, tzinfo=UTC)


def test_due_reminders_is_registered_every_minute():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["due reminders"].interval == datetime.timedelta(minutes=1)


def test_slots_are_counted_from_the_epoch():
    assert slot_start(at(12, 0, 59), datetime.timedelta(minutes=1)) == at(12, 0)
    assert slot_start(at(23, 59), datetime.timedelta(days=1)) == at(0)


def test_of_two_workers_only_one_runs_a_slot_and_the_next_slot_runs_again():
    runs = []
    job = PeriodicJob(name="count", interval=datetime.timedelta(minutes=1), func=runs.append)
    assert run_due_periodic_jobs(at(12, 0, 5), jobs=[job]) == ["count"]
    assert run_due_periodic_jobs(at(12, 0, 40), jobs=[job]) == []  # the second worker, same slot
    assert run_due_periodic_jobs(at(12, 1, 1), jobs=[job]) == ["count"]
    assert runs == [at(12, 0, 5), at(12, 1, 1)]


def test_a_failing_periodic_job_is_recorded_and_the_others_still_run():
    def broken(now):
        raise ValueError("no luck")

    done = []
    jobs = [
        PeriodicJob(name="a broken", interval=datetime.timedelta(minutes=1), func=broken),
        PeriodicJob(name="b fine", interval=datetime.timedelta(minutes=1), func=done.append),
    ]
    assert run_due_periodic_jobs(at(12), jobs=jobs) == ["a broken", "b fine"]
    state = PeriodicJobState.objects.get(name="a broken")
    assert state.failures == 1 and "no luck" in state.last_error
    assert done == [at(12)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_retried_recorded_and_does_not_stop_the_worker(settings):
    settings.SDELKA_TASK_MAX_ATTEMPTS = 3
    settings.SDELKA_TASK_RETRY_DELAY = 60
    failing = always_fails.enqueue("SMTP is down")
    leaves_a_mark.enqueue("after the failure")
    call_command("worker", "--once")
    row = DBTaskResult.objects.get(pk=failing.id)
    assert row.status == TaskResultStatus.READY  # queued again, for later
    assert row.run_after > row.started_at
    failure = TaskFailure.objects.get()
    assert failure.attempt == 1 and failure.will_retry and "SMTP is down" in failure.traceback
    assert WorkerHeartbeat.objects.filter(name="after the failure").exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_failing_every_attempt_ends_failed_with_every_error_kept(settings):
    settings.SDELKA_TASK_MAX_ATTEMPTS = 3
    settings.SDELKA_TASK_RETRY_DELAY = 0
    failing = always_fails.enqueue("still down")
    call_command("worker", "--once")
    assert DBTaskResult.objects.get(pk=failing.id).status == TaskResultStatus.FAILED
    assert list(TaskFailure.objects.order_by("attempt").values_list("attempt", "will_retry")) == [
        (1, True),
        (2, True),
        (3, False),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_worker_reports_a_heartbeat():
    call_command("worker", "--once", "--name", "test-worker")
    assert WorkerHeartbeat.objects.filter(name="test-worker").exists()


@pytest.mark.django_db(transaction=True)
def test_a_stop_request_ends_the_loop_after_the_current_round():
    worker = Worker(name="stopping", interval=0.05)
    rounds = []
    original_tick = worker.tick

    def tick():
        rounds.append(1)
        if len(rounds) == 3:
            worker.stop()
        return original_tick()

    worker.tick = tick
    worker.run()
    assert len(rounds) == 3
    assert not WorkerHeartbeat.objects.filter(name="stopping").exists()  # removed on a clean stop


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_of_several_threads_claiming_one_slot_exactly_one_wins():
    job = PeriodicJob(name="race", interval=datetime.timedelta(minutes=1), func=lambda now: None)
    claim_slot(job, at(11, 59))  # the row exists, last run in the previous slot
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            outcomes.append(claim_slot(job, at(12, 0, 1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, False, False, True]
