"""Periodic jobs of marketing, run by ``manage.py worker`` (see ``sdelka.core.worker.periodic``)."""

from __future__ import annotations

import datetime

from sdelka.core.worker import periodic


@periodic("resume mailings", every=datetime.timedelta(minutes=5))
def resume_mailings(now: datetime.datetime) -> int:
    """A mailing whose worker stopped mid-way is handed to a worker again (its unsent letters only)."""
    from sdelka.marketing.mailings import mailings_resume

    return mailings_resume(now=now)
