"""The funnel's time in stage (one window function over the events) against the rule read literally: a stay
entered by an event ends at the first later event (by time, then id) that moves the deal or wins or loses it."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.analytics.selectors.funnel import days, sales_funnel
from sdelka.deals.choices import DealEventKind, DealStatus
from sdelka.deals.models import Deal, DealEvent
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=datetime.UTC)
# After the "created" event: (kind, status it goes to, stage index), hours after the previous event (0 = a tie).
EVENT = st.tuples(
    st.sampled_from(
        [
            (DealEventKind.STAGE_CHANGED, "", 1),
            (DealEventKind.STAGE_CHANGED, "", 2),
            (DealEventKind.STATUS_CHANGED, DealStatus.WON, None),
            (DealEventKind.STATUS_CHANGED, DealStatus.LOST, None),
            (DealEventKind.STATUS_CHANGED, DealStatus.IN_PROGRESS, None),
            (DealEventKind.AMOUNT_CHANGED, "", None),
        ]
    ),
    st.integers(min_value=0, max_value=72),
)


def reference_stays(events: list[DealEvent]) -> dict[int, list[float]]:
    ordered = sorted(events, key=lambda event: (event.deal_id, event.at, event.pk))
    stays: dict[int, list[float]] = defaultdict(list)
    for index, event in enumerate(ordered):
        if (
            event.kind not in (DealEventKind.CREATED, DealEventKind.STAGE_CHANGED)
            or event.to_stage_id is None
        ):
            continue
        for later in ordered[index + 1 :]:
            if later.deal_id != event.deal_id:
                break
            ends = later.kind == DealEventKind.STAGE_CHANGED or (
                later.kind == DealEventKind.STATUS_CHANGED
                and later.to_status in (DealStatus.WON, DealStatus.LOST)
            )
            if ends:
                stays[event.to_stage_id].append((later.at - event.at).total_seconds())
                break
    return stays


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(st.lists(EVENT, max_size=6), min_size=1, max_size=4))
def test_time_in_stage_equals_the_rule_read_literally(admin_user, histories):
    DealEvent.objects.all().delete()
    Deal.objects.all().delete()
    kind = DealKindFactory()
    stages = stages_of(kind)
    for history in histories:
        deal = DealFactory(kind=kind, manager=admin_user, start_date=START.date(), stage=stages[0])
        moment = START
        DealEvent.objects.create(deal=deal, at=moment, kind=DealEventKind.CREATED, to_stage=stages[0])
        for (event_kind, status, stage_index), hours in history:
            moment += datetime.timedelta(hours=hours)
            DealEvent.objects.create(
                deal=deal,
                at=moment,
                kind=event_kind,
                to_status=status,
                to_stage=stages[stage_index] if stage_index is not None else None,
            )

    report = sales_funnel(user=admin_user, kind=kind, period=Period(START.date(), START.date()))

    expected = reference_stays(list(DealEvent.objects.all()))
    for stage in report.stages:
        lengths = expected.get(stage.id, [])
        assert stage.stays == len(lengths), stage.name
        average = datetime.timedelta(seconds=sum(lengths) / len(lengths)) if lengths else None
        assert stage.average_days == days(average), stage.name
