"""deal_create: numbers, the first stage, probability from the stage, and what it refuses."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.services import deal_create
from sdelka.deals.tests.factories import DealKindFactory, stages_of
from sdelka.partners.tests.factories import ContactPersonFactory, CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_partner(manager):
    return PartnerFactory(manager=manager)


def test_a_typical_sale_starts_at_its_first_stage_with_its_probability(manager, client_partner):
    kind = DealKindFactory(process_type=ProcessType.TYPICAL)

    deal = deal_create(actor=manager, data={"name": "Pumps", "partner": client_partner, "kind": kind})

    assert deal.stage == stages_of(kind)[0]
    assert (deal.probability, deal.probability_manual) == (10, False)
    assert (deal.status, deal.closed, deal.version) == (DealStatus.IN_PROGRESS, False, 1)
    assert deal.manager == manager
    assert deal.start_date == timezone.localdate()


def test_a_manual_kind_starts_at_its_first_stage_too(manager, client_partner):
    kind = DealKindFactory(process_type=ProcessType.MANUAL)

    deal = deal_create(actor=manager, data={"name": "Pumps", "partner": client_partner, "kind": kind})

    assert deal.stage == stages_of(kind)[0]


def test_a_non_process_deal_has_no_stage(manager, client_partner):
    kind = DealKindFactory(process_type=ProcessType.NON_PROCESS)

    deal = deal_create(actor=manager, data={"name": "Folder", "partner": client_partner, "kind": kind})

    assert deal.stage is None
    assert deal.probability == 0


def test_a_probability_given_is_kept_by_hand(manager, client_partner):
    deal = deal_create(
        actor=manager,
        data={"name": "Pumps", "partner": client_partner, "kind": DealKindFactory(), "probability": 55},
    )

    assert (deal.probability, deal.probability_manual) == (55, True)


def test_numbers_run_in_sequence_within_the_year(manager, client_partner):
    kind = DealKindFactory()
    year = timezone.localdate().year

    first = deal_create(actor=manager, data={"name": "A", "partner": client_partner, "kind": kind})
    second = deal_create(actor=manager, data={"name": "B", "partner": client_partner, "kind": kind})

    assert first.number == f"{year}-000001"
    assert second.number == f"{year}-000002"


def test_it_records_a_created_event(manager, client_partner):
    deal = deal_create(
        actor=manager, data={"name": "A", "partner": client_partner, "kind": DealKindFactory()}
    )

    (event,) = deal.events.all()
    assert (event.kind, event.user, event.to_stage, event.to_status) == (
        DealEventKind.CREATED,
        manager,
        deal.stage,
        DealStatus.IN_PROGRESS,
    )


def test_it_keeps_counterparty_and_contacts_of_the_client(manager, client_partner):
    counterparty = CounterpartyFactory(partner=client_partner)
    contact = ContactPersonFactory(partner=client_partner)

    deal = deal_create(
        actor=manager,
        data={
            "name": "A",
            "partner": client_partner,
            "kind": DealKindFactory(),
            "counterparty": counterparty,
            "contacts": [contact],
            "expected_amount": Decimal("1500.00"),
        },
    )

    assert deal.counterparty == counterparty
    assert list(deal.contacts.all()) == [contact]


@pytest.mark.parametrize(
    "field,make",
    [
        ("counterparty", lambda: {"counterparty": CounterpartyFactory()}),
        ("contacts", lambda: {"contacts": [ContactPersonFactory()]}),
        ("expected_amount", lambda: {"expected_amount": Decimal("-1")}),
    ],
)
def test_it_refuses_bad_relations_and_amounts(field, make, manager, client_partner):
    with pytest.raises(ValidationError) as error:
        deal_create(
            actor=manager, data={"name": "A", "partner": client_partner, "kind": DealKindFactory(), **make()}
        )

    assert field in error.value.message_dict


def test_it_refuses_a_partner_of_another_team(manager, outsider):
    with pytest.raises(ValidationError) as error:
        deal_create(
            actor=manager,
            data={"name": "A", "partner": PartnerFactory(manager=outsider), "kind": DealKindFactory()},
        )

    assert "partner" in error.value.message_dict


def test_a_manager_cannot_make_someone_else_responsible(manager, outsider, client_partner):
    with pytest.raises(ValidationError) as error:
        deal_create(
            actor=manager,
            data={"name": "A", "partner": client_partner, "kind": DealKindFactory(), "manager": outsider},
        )

    assert "manager" in error.value.message_dict


def test_it_refuses_a_kind_with_stages_that_has_none_yet(manager, client_partner):
    with pytest.raises(ValidationError) as error:
        deal_create(
            actor=manager, data={"name": "A", "partner": client_partner, "kind": DealKindFactory(stages=[])}
        )

    assert "kind" in error.value.message_dict


def test_it_refuses_an_inactive_kind(manager, client_partner):
    with pytest.raises(ValidationError):
        deal_create(
            actor=manager,
            data={"name": "A", "partner": client_partner, "kind": DealKindFactory(active=False)},
        )


def test_a_marketer_cannot_create_deals(marketer):
    with pytest.raises(PermissionDenied):
        deal_create(
            actor=marketer, data={"name": "A", "partner": PartnerFactory(), "kind": DealKindFactory()}
        )
