"""Periodic jobs of analytics, run by ``manage.py worker`` (see ``sdelka.core.worker.periodic``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sdelka.core.worker import periodic


@periodic("classify last closed periods", every=datetime.timedelta(days=1))
def classify_last_closed_periods(now: datetime.datetime) -> None:
    """Store the classes of the last closed month, quarter, half-year and year (both subjects, all criteria)."""
    from sdelka.analytics.services.classification import classification_store_last_closed

    classification_store_last_closed(today=timezone.localdate(now))
