"""Two users move the same deal from the same version at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from sdelka.deals.choices import DealEventKind, ProcessType
from sdelka.deals.models import Deal
from sdelka.deals.services import DealVersionConflict, deal_move_to_stage
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks and concurrent connections (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_moves_from_one_version_exactly_one_wins():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))
    targets = stages_of(deal.kind)[1:3]
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def attempt(stage):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            deal_move_to_stage(actor=None, deal=Deal(pk=deal.pk), stage=stage, version=1)
            outcomes.append("moved")
        except DealVersionConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(stage,)) for stage in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict", "moved"]
    deal.refresh_from_db()
    assert deal.version == 2
    assert deal.events.filter(kind=DealEventKind.STAGE_CHANGED).count() == 1
