"""The claim pages: list with filters, register, settle (result required), the report, 404 for others."""

import datetime

import pytest
from django.utils import timezone

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.claims import services
from sdelka.claims.choices import ClaimStatus
from sdelka.claims.models import Claim
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def register(actor, **data):
    partner = data.pop("partner", None) or PartnerFactory(manager=actor)
    return services.claim_create(actor=actor, data={"partner": partner, "description": "Broken", **data})


def test_the_list_filters_overdue_and_product(manager, page_client_for):
    pump = ProductFactory(name="Pump")
    late = register(manager, registered_at=timezone.now() - datetime.timedelta(days=30), products=[pump])
    fresh = register(manager)
    client = page_client_for(manager)
    assert list(client.get("/claims/?overdue=true").context["page"].object_list) == [late]
    assert list(client.get(f"/claims/?product={pump.pk}").context["page"].object_list) == [late]
    assert set(client.get("/claims/").context["page"].object_list) == {late, fresh}


def test_the_list_makes_a_fixed_number_of_queries(manager, page_client_for, django_assert_max_num_queries):
    for _ in range(5):
        register(manager, products=[ProductFactory()])
    client = page_client_for(manager)
    client.get("/claims/")
    with django_assert_max_num_queries(14):
        assert client.get("/claims/").status_code == 200


def test_registering_through_the_form_and_bad_input(manager, page_client_for):
    client = page_client_for(manager)
    partner = PartnerFactory(manager=manager)
    bad = client.post("/claims/new/", {"partner": partner.pk, "description": "", "deadline": "soon"})
    assert bad.status_code == 200 and {"description", "deadline"} <= set(bad.context["form"].errors)
    assert not Claim.objects.exists()
    made = client.post("/claims/new/", {"partner": partner.pk, "description": "Scratched"})
    assert made.status_code == 302
    assert Claim.objects.get().responsible == manager


def test_settling_needs_a_result_on_the_page(manager, page_client_for):
    claim = register(manager)
    client = page_client_for(manager)
    refused = client.post(f"/claims/{claim.pk}/", {"settlement_comment": "?"})
    assert refused.status_code == 400 and "result" in refused.context["form"].errors
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.REGISTERED
    client.post(f"/claims/{claim.pk}/start/")
    done = client.post(f"/claims/{claim.pk}/", {"result": "satisfied", "compensation": "1 200.50"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SETTLED and str(claim.compensation) == "1200.50"


def test_a_foreign_claim_is_404_everywhere(manager, outsider, page_client_for):
    claim = register(outsider)
    client = page_client_for(manager)
    for url in (f"/claims/{claim.pk}/", f"/claims/{claim.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/claims/{claim.pk}/start/").status_code == 404


def test_the_report_page_shows_the_figures(manager, page_client_for):
    register(manager, registered_at=timezone.now() - datetime.timedelta(days=30))
    register(manager)
    page = page_client_for(manager).get("/claims/report/")
    assert page.status_code == 200
    assert page.context["report"].total == 2 and page.context["report"].overdue == 1
    assert '<dd id="overdue">1</dd>' in page.content.decode()


def test_a_marketer_reads_claims_but_cannot_register_or_settle(manager, marketer, page_client_for):
    claim = register(manager)
    client = page_client_for(marketer)
    assert client.get("/claims/").status_code == 200
    assert client.get("/claims/new/").status_code == 403
    assert client.post(f"/claims/{claim.pk}/", {"result": "satisfied"}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.REGISTERED
