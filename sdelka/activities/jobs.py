"""Periodic jobs of the app, run by ``manage.py worker`` (see ``sdelka.core.worker.periodic``)."""

from __future__ import annotations

import datetime

from sdelka.activities.services.reminders import reminders_fire_due, reminders_recompute_relative
from sdelka.core.worker import periodic


@periodic("due reminders", every=datetime.timedelta(minutes=1))
def due_reminders(now: datetime.datetime) -> None:
    """Follow changed dates of records, then fire what is due."""
    reminders_recompute_relative(now=now)
    reminders_fire_due(now=now)


@periodic("mailing rules", every=datetime.timedelta(minutes=1))
def run_mailing_rules(now: datetime.datetime) -> dict[str, int]:
    from sdelka.activities.services.mailing_rules import mailing_rules_run

    return mailing_rules_run(now=now)
