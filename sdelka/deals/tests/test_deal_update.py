"""deal_update: fields change with a version check; manager and amount changes go on the timeline."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sdelka.deals.choices import DealEventKind, ProcessType
from sdelka.deals.services import DealVersionConflict, deal_update
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of
from sdelka.partners.tests.factories import CounterpartyFactory

pytestmark = pytest.mark.django_db


def test_it_changes_fields_and_the_version(manager):
    deal = DealFactory(manager=manager)

    changed = deal_update(actor=manager, deal=deal, data={"name": "Renamed"}, version=1)

    assert (changed.name, changed.version) == ("Renamed", 2)
    assert changed.history.first().history_user == manager


def test_amount_and_manager_changes_are_events(head, manager, teammate):
    deal = DealFactory(manager=manager)

    deal_update(
        actor=head, deal=deal, data={"expected_amount": Decimal("900.00"), "manager": teammate}, version=1
    )

    events = {e.kind: (e.from_value, e.to_value) for e in deal.events.all()}
    assert events[DealEventKind.AMOUNT_CHANGED] == ("0.00", "900.00")
    assert events[DealEventKind.MANAGER_CHANGED][1] == teammate.get_full_name()


def test_a_stale_version_is_refused_with_who_changed_it(manager, teammate):
    deal = DealFactory(manager=manager)
    deal_update(actor=teammate, deal=deal, data={"name": "Theirs"}, version=1)

    with pytest.raises(DealVersionConflict) as conflict:
        deal_update(actor=manager, deal=deal, data={"name": "Mine"}, version=1)

    assert (conflict.value.version, conflict.value.changed_by) == (2, teammate.get_full_name())
    deal.refresh_from_db()
    assert deal.name == "Theirs"


def test_a_write_without_a_version_is_refused():
    deal = DealFactory()

    with pytest.raises(DealVersionConflict):
        deal_update(actor=None, deal=deal, data={"name": "x"}, version=None)


def test_the_kind_cannot_change():
    deal = DealFactory()

    with pytest.raises(ValidationError) as error:
        deal_update(actor=None, deal=deal, data={"kind": DealKindFactory()}, version=1)

    assert "kind" in error.value.message_dict


def test_a_counterparty_of_another_partner_is_refused():
    deal = DealFactory()

    with pytest.raises(ValidationError) as error:
        deal_update(actor=None, deal=deal, data={"counterparty": CounterpartyFactory()}, version=1)

    assert "counterparty" in error.value.message_dict


def test_probability_null_follows_the_stage_again():
    deal = DealFactory(
        kind=DealKindFactory(process_type=ProcessType.MANUAL), probability=77, probability_manual=True
    )

    changed = deal_update(actor=None, deal=deal, data={"probability": None}, version=1)

    assert (changed.probability, changed.probability_manual) == (stages_of(deal.kind)[0].probability, False)


def test_nothing_changed_keeps_the_version():
    deal = DealFactory(name="Same")

    assert deal_update(actor=None, deal=deal, data={"name": "Same"}, version=1).version == 1
