"""Won, lost, closed and reopened: each is recorded on the timeline, and refused when it makes no sense."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.services import deal_close, deal_mark_lost, deal_mark_won, deal_reopen
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal():
    return DealFactory(kind=DealKindFactory(process_type=ProcessType.MANUAL))


def test_a_won_deal_has_a_probability_of_100(deal, manager):
    won = deal_mark_won(actor=manager, deal=deal, version=deal.version)

    assert (won.status, won.probability, won.version) == (DealStatus.WON, 100, 2)
    event = won.events.get(kind=DealEventKind.STATUS_CHANGED)
    assert (event.from_status, event.to_status, event.user) == (
        DealStatus.IN_PROGRESS,
        DealStatus.WON,
        manager,
    )


def test_a_lost_deal_keeps_its_reason_and_competitor(deal):
    reason, competitor = LostReasonFactory(), PartnerFactory(is_competitor=True)

    lost = deal_mark_lost(
        actor=None, deal=deal, version=deal.version, lost_reason=reason, competitor=competitor
    )

    assert (lost.status, lost.lost_reason, lost.competitor, lost.probability) == (
        DealStatus.LOST,
        reason,
        competitor,
        0,
    )


def test_losing_without_a_reason_is_refused_and_changes_nothing(deal):
    with pytest.raises(ValidationError) as error:
        deal_mark_lost(actor=None, deal=deal, version=deal.version, lost_reason=None)

    assert "lost_reason" in error.value.message_dict
    deal.refresh_from_db()
    assert (deal.status, deal.version, deal.events.count()) == (DealStatus.IN_PROGRESS, 1, 0)


def test_losing_to_a_partner_who_is_not_a_competitor_is_refused(deal):
    with pytest.raises(ValidationError) as error:
        deal_mark_lost(
            actor=None,
            deal=deal,
            version=deal.version,
            lost_reason=LostReasonFactory(),
            competitor=PartnerFactory(),
        )

    assert "competitor" in error.value.message_dict


def test_an_inactive_lost_reason_is_refused(deal):
    with pytest.raises(ValidationError):
        deal_mark_lost(
            actor=None, deal=deal, version=deal.version, lost_reason=LostReasonFactory(active=False)
        )


def test_a_won_deal_cannot_be_lost(deal):
    deal = deal_mark_won(actor=None, deal=deal, version=deal.version)

    with pytest.raises(ValidationError):
        deal_mark_lost(actor=None, deal=deal, version=deal.version, lost_reason=LostReasonFactory())


def test_closing_sets_the_actual_close_date(deal):
    closed = deal_close(actor=None, deal=deal, version=deal.version)

    assert (closed.closed, closed.actual_close_date) == (True, timezone.localdate())
    assert closed.events.filter(kind=DealEventKind.CLOSED).count() == 1


def test_closing_twice_is_refused(deal):
    deal = deal_close(actor=None, deal=deal, version=deal.version)

    with pytest.raises(ValidationError, match="closed already"):
        deal_close(actor=None, deal=deal, version=deal.version)


def test_reopening_a_lost_deal_brings_it_back_to_work(deal):
    deal = deal_mark_lost(actor=None, deal=deal, version=deal.version, lost_reason=LostReasonFactory())
    deal = deal_close(actor=None, deal=deal, version=deal.version)

    reopened = deal_reopen(actor=None, deal=deal, version=deal.version)

    assert (reopened.status, reopened.closed, reopened.lost_reason, reopened.actual_close_date) == (
        DealStatus.IN_PROGRESS,
        False,
        None,
        None,
    )
    assert reopened.probability == reopened.stage.probability
    kinds = list(reopened.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [DealEventKind.REOPENED, DealEventKind.STATUS_CHANGED]


def test_reopening_an_open_deal_is_refused(deal):
    with pytest.raises(ValidationError, match="open and in progress already"):
        deal_reopen(actor=None, deal=deal, version=deal.version)
