"""Periodic jobs of the app, run by ``manage.py worker`` (see ``sdelka.core.worker.periodic``)."""

from __future__ import annotations

import datetime

from sdelka.core.worker import periodic


@periodic("segments", every=datetime.timedelta(hours=1))
def evaluate_segments(now: datetime.datetime) -> dict[str, int]:
    """Re-evaluate every rule segment, so that sales, classes and dates passing move partners in and out."""
    from django.utils import timezone

    from sdelka.partners.segments.services import segments_evaluate_all

    return {"segments": segments_evaluate_all(today=timezone.localdate(now))}
