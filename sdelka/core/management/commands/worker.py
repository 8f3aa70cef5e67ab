"""``manage.py worker``: runs queued background tasks and the periodic schedule until SIGTERM/SIGINT.

``--once`` runs everything due (periodic jobs whose slot has come, then every ready task) and exits.
Several workers may run against one PostgreSQL database: tasks and periodic slots are claimed in it.
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand

from sdelka.core.worker import Worker, default_worker_name


class Command(BaseCommand):
    help = "Run the background worker: queued tasks and periodic jobs (reminders, rules)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run everything that is due, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do (default 1).",
        )
        parser.add_argument(
            "--name", default="", help="This worker's name in the heartbeat (default host:pid)."
        )
        parser.add_argument(
            "--queue-name", default="*", help="Queues to run, separated by commas; '*' for all (the default)."
        )

    def handle(self, *, once: bool, interval: float, name: str, queue_name: str, verbosity: int, **options):
        if verbosity < 2:
            # django-tasks-db says "no more tasks" at INFO after every round; keep the log for what happens.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker = Worker(
            name=name or default_worker_name(),
            interval=interval,
            once=once,
            queue_names=[queue.strip() for queue in queue_name.split(",") if queue.strip()],
        )
        worker.run()
