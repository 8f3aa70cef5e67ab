"""Customer claims: numbering, the basis of the same partner, settling, scope, the report, the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.claims import selectors, services
from sdelka.claims.choices import ClaimResult, ClaimStatus
from sdelka.claims.models import Claim
from sdelka.documents.models import Sale, SalesOrder
from sdelka.documents.tests.factories import draft_document
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/claims/"


def register(actor, partner=None, **data) -> Claim:
    partner = partner or PartnerFactory(manager=actor)
    return services.claim_create(actor=actor, data={"partner": partner, "description": "Broken pump", **data})


def test_claims_are_numbered_per_year(manager):
    first, second = register(manager), register(manager)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"{year}-000001", f"{year}-000002")
    old = register(
        manager, registered_at=timezone.now().replace(year=2024), deadline=datetime.date(2024, 12, 31)
    )
    assert old.number == "2024-000001" and old.year == 2024


def test_the_deadline_is_ten_days_after_registration_by_default(manager):
    claim = register(manager)
    assert claim.deadline == timezone.localdate() + datetime.timedelta(days=10)
    assert claim.responsible == manager and claim.status == ClaimStatus.REGISTERED


def test_a_basis_of_another_partner_is_refused_and_nothing_is_stored(manager):
    sale = draft_document(Sale, owner=manager)
    order = draft_document(SalesOrder, owner=manager)
    partner = PartnerFactory(manager=manager)
    for field, document in (("sale", sale), ("sales_order", order)):
        with pytest.raises(ValidationError) as error:
            register(manager, partner=partner, **{field: document})
        assert field in error.value.message_dict
    other_counterparty = CounterpartyFactory(partner=PartnerFactory(manager=manager))
    with pytest.raises(ValidationError) as error:
        register(manager, partner=partner, counterparty=other_counterparty)
    assert "counterparty" in error.value.message_dict
    assert not Claim.objects.exists()


def test_a_sale_of_the_same_partner_is_accepted_as_the_basis(manager):
    sale = draft_document(Sale, owner=manager)
    claim = register(manager, partner=sale.partner, sale=sale, products=[sale.lines.first().product])
    assert claim.sale == sale and list(claim.products.all()) == [sale.lines.first().product]


def test_settling_requires_a_result_and_a_rejection_gets_no_compensation(manager):
    claim = register(manager)
    with pytest.raises(ValidationError) as error:
        services.claim_settle(actor=manager, claim=claim, result="")
    assert "result" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.claim_settle(
            actor=manager, claim=claim, result=ClaimResult.REJECTED, compensation=Decimal("10")
        )
    assert "compensation" in error.value.message_dict
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REGISTERED and claim.settled_at is None
    services.claim_start(actor=manager, claim=claim)
    settled = services.claim_settle(
        actor=manager, claim=claim, result=ClaimResult.PARTLY_SATISFIED, compensation=Decimal("500.00")
    )
    assert settled.status == ClaimStatus.SETTLED and settled.settled_at is not None
    with pytest.raises(ValidationError):
        services.claim_update(actor=manager, claim=settled, data={"description": "x"})


def test_scope_responsible_head_and_partner_viewers_see_it(manager, teammate, head, outsider):
    claim = register(manager)
    assert selectors.claim_list(user=head).filter(pk=claim.pk).exists()
    assert selectors.claim_list(user=manager).filter(pk=claim.pk).exists()
    assert not selectors.claim_list(user=teammate).filter(pk=claim.pk).exists()
    assert not selectors.claim_list(user=outsider).filter(pk=claim.pk).exists()


def test_a_partner_outside_the_scope_is_refused(manager, outsider):
    with pytest.raises(ValidationError) as error:
        register(manager, partner=PartnerFactory(manager=outsider))
    assert "partner" in error.value.message_dict


def test_the_report_figures_are_exact(manager, head):
    now = timezone.now()
    pump, valve = ProductFactory(name="Pump"), ProductFactory(name="Valve")
    alpha, beta = PartnerFactory(manager=manager, name="Alpha"), PartnerFactory(manager=manager, name="Beta")
    a1 = register(
        manager, partner=alpha, products=[pump, valve], registered_at=now - datetime.timedelta(days=6)
    )
    a2 = register(manager, partner=alpha, products=[pump], registered_at=now - datetime.timedelta(days=20))
    register(manager, partner=beta, registered_at=now - datetime.timedelta(days=30))  # overdue, registered
    services.claim_settle(actor=manager, claim=a1, result=ClaimResult.SATISFIED)
    services.claim_settle(actor=manager, claim=a2, result=ClaimResult.REJECTED)
    Claim.objects.filter(pk=a1.pk).update(settled_at=a1.registered_at + datetime.timedelta(days=2))
    Claim.objects.filter(pk=a2.pk).update(settled_at=a2.registered_at + datetime.timedelta(days=5))
    report = selectors.claim_report(claims=selectors.claim_list(user=head))
    assert report.total == 3 and report.overdue == 1
    assert report.average_settlement_days == 3.5
    assert {row["status"]: row["count"] for row in report.by_status} == {"registered": 1, "settled": 2}
    assert {row["result"]: row["count"] for row in report.by_result} == {"satisfied": 1, "rejected": 1}
    assert [(row["partner__name"], row["count"]) for row in report.by_partner] == [("Alpha", 2), ("Beta", 1)]
    assert [(row["name"], row["count"]) for row in report.by_product] == [("Pump", 2), ("Valve", 1)]
    assert [(row["responsible__username"], row["count"], row["overdue"]) for row in report.by_manager] == [
        ("manager", 3, 1)
    ]


# --- API ---------------------------------------------------------------------------------------------------


def test_the_api_registers_starts_and_settles(manager, api_client_for):
    client = api_client_for(manager)
    partner = PartnerFactory(manager=manager)
    made = client.post(
        URL, {"partner": partner.pk, "description": "Leak", "demand": "Replace"}, format="json"
    )
    assert made.status_code == 201, made.data
    pk = made.data["id"]
    assert client.post(f"{URL}{pk}/start/").data["status"] == "in_progress"
    refused = client.post(f"{URL}{pk}/settle/", {"settlement_comment": "?"}, format="json")
    assert refused.status_code == 400 and "result" in refused.data
    settled = client.post(
        f"{URL}{pk}/settle/", {"result": "satisfied", "compensation": "1500.00"}, format="json"
    )
    assert settled.status_code == 200 and settled.data["status"] == "settled"
    assert settled.data["compensation"] == "1500.00"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"description": ""}, "description"),
        ({"deadline": "soon"}, "deadline"),
        ({"partner": 999999}, "partner"),
        ({"products": [999999]}, "products"),
    ],
)
def test_bad_input_to_the_api_stores_nothing(manager, api_client_for, body, field):
    partner = PartnerFactory(manager=manager)
    answer = api_client_for(manager).post(
        URL, {"partner": partner.pk, "description": "Leak", **body}, format="json"
    )
    assert answer.status_code == 400 and field in answer.data
    assert not Claim.objects.exists()


def test_a_negative_compensation_is_refused(manager, api_client_for):
    claim = register(manager)
    answer = api_client_for(manager).post(
        f"{URL}{claim.pk}/settle/", {"result": "satisfied", "compensation": "-1"}, format="json"
    )
    assert answer.status_code == 400 and "compensation" in answer.data


def test_a_foreign_claim_is_404_and_a_marketer_cannot_register(outsider, manager, marketer, api_client_for):
    claim = register(outsider)
    assert api_client_for(manager).get(f"{URL}{claim.pk}/").status_code == 404
    assert (
        api_client_for(manager).post(f"{URL}{claim.pk}/settle/", {"result": "satisfied"}).status_code == 404
    )
    partner = PartnerFactory()
    answer = api_client_for(marketer).post(URL, {"partner": partner.pk, "description": "x"}, format="json")
    assert answer.status_code == 403


def test_the_list_makes_a_fixed_number_of_queries(manager, api_client_for, django_assert_max_num_queries):
    for _ in range(4):
        register(manager, products=[ProductFactory()])
    client = api_client_for(manager)
    with django_assert_max_num_queries(6):
        answer = client.get(URL)
    assert answer.data["count"] == 4
