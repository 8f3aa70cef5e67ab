"""deal_move_to_stage: a typical sale goes only to the next stage, manual stages anywhere, non-process nowhere."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import Deal, DealEvent
from sdelka.deals.services import deal_close, deal_mark_won, deal_move_to_stage
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of

pytestmark = pytest.mark.django_db


def move(deal, stage, actor=None):
    return deal_move_to_stage(actor=actor, deal=deal, stage=stage, version=deal.version)


def snapshot(deal: Deal) -> tuple:
    deal.refresh_from_db()
    return (
        deal.stage_id,
        deal.status,
        deal.probability,
        deal.version,
        deal.events.count(),
        deal.history.count(),
    )


def test_a_typical_sale_moves_to_the_next_stage(manager):
    deal = DealFactory(manager=manager, kind=DealKindFactory(process_type=ProcessType.TYPICAL))
    first, second, *_ = stages_of(deal.kind)

    moved = move(deal, second, manager)

    assert (moved.stage, moved.probability, moved.version) == (second, second.probability, 2)
    event = moved.events.get(kind=DealEventKind.STAGE_CHANGED)
    assert (event.from_stage, event.to_stage, event.user) == (first, second, manager)


def test_a_typical_sale_cannot_skip_a_stage():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.TYPICAL))
    before = snapshot(deal)

    with pytest.raises(ValidationError, match="only to the next stage"):
        move(deal, stages_of(deal.kind)[2])

    assert snapshot(deal) == before


def test_a_typical_sale_cannot_go_back():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.TYPICAL))
    first, second, *_ = stages_of(deal.kind)
    deal = move(deal, second)

    with pytest.raises(ValidationError):
        move(deal, first)


def test_a_typical_sale_at_its_last_stage_moves_no_further():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.TYPICAL))
    for stage in stages_of(deal.kind)[1:]:
        deal = move(deal, stage)

    with pytest.raises(ValidationError, match="last stage"):
        move(deal, stages_of(deal.kind)[0])


@pytest.mark.parametrize("target", [0, 2, 3, 1])
def test_manual_stages_move_anywhere_forward_or_back(target):
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))
    stages = stages_of(deal.kind)
    deal = move(deal, stages[3])

    if stages[target] == deal.stage:
        with pytest.raises(ValidationError, match="at this stage already"):
            move(deal, stages[target])
    else:
        assert move(deal, stages[target]).stage == stages[target]


def test_a_non_process_deal_is_refused_a_stage():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.NON_PROCESS))

    with pytest.raises(ValidationError, match="have no stages"):
        move(deal, stages_of(DealKindFactory(process_type=ProcessType.MANUAL))[0])


def test_a_stage_of_another_kind_is_refused():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))
    before = snapshot(deal)

    with pytest.raises(ValidationError, match="another deal kind"):
        move(deal, stages_of(DealKindFactory(process_type=ProcessType.MANUAL))[1])

    assert snapshot(deal) == before


def test_a_closed_deal_does_not_move():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))
    deal = deal_close(actor=None, deal=deal, version=deal.version)

    with pytest.raises(ValidationError, match="closed"):
        move(deal, stages_of(deal.kind)[1])


def test_a_won_deal_does_not_move():
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))
    deal = deal_mark_won(actor=None, deal=deal, version=deal.version)

    with pytest.raises(ValidationError, match="won"):
        move(deal, stages_of(deal.kind)[1])
    assert deal.status == DealStatus.WON


def test_a_probability_set_by_hand_stays_when_the_stage_changes():
    deal = DealFactory(
        kind=DealKindFactory(process_type=ProcessType.MANUAL), probability=42, probability_manual=True
    )

    assert move(deal, stages_of(deal.kind)[2]).probability == 42


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.tuples(st.booleans(), st.integers(min_value=0, max_value=3)), max_size=12))
def test_a_typical_sale_never_skips_or_goes_back_whatever_is_tried(attempts, db):
    """Random move attempts (own and another kind's stages): visited orders are consecutive; refusals change nothing."""
    deal = DealFactory(kind=DealKindFactory(process_type=ProcessType.TYPICAL))
    own, foreign = stages_of(deal.kind), stages_of(DealKindFactory(process_type=ProcessType.MANUAL))

    for of_own_kind, index in attempts:
        stage = own[index] if of_own_kind else foreign[index]
        before = snapshot(deal)
        try:
            deal = move(deal, stage)
        except ValidationError:
            assert snapshot(deal) == before
        else:
            previous = next(s for s in own if s.pk == before[0])
            assert of_own_kind
            assert stage.order == previous.order + 1

    moves = DealEvent.objects.filter(deal=deal, kind=DealEventKind.STAGE_CHANGED).order_by("at", "id")
    visited = [own[0].order, *moves.values_list("to_stage__order", flat=True)]
    assert visited == list(range(1, len(visited) + 1))
