"""The demo's analytics step: the classes of every closed period are stored at once, so the ABC/XYZ report,
the class dynamics and the classes on partner and product pages show a history out of the box (the worker
would otherwise store only the last closed periods, one day after the first start)."""

from __future__ import annotations

from datetime import date

from sdelka.analytics.services.classification import classification_store_all


def demo_classification(*, today: date) -> int:
    """Store the classification of every closed period up to ``today``; the number of periods stored.

    The monthly aggregates it reads are already current: the demo posts its sales through ``sale_post``.
    """
    return classification_store_all(today=today)
