"""Every role × resource × action over the API, checked against the one permission table.

A role without the right gets 403; a record outside the user's scope is 404 whatever the action.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sdelka.accounts.choices import Role
from sdelka.accounts.permissions import RULES
from sdelka.accounts.tests.factories import UserFactory
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory
from sdelka.deals.tests.factories import DealFactory, DealKindFactory
from sdelka.documents.models import PurchaseOrder, Quote, Sale, SalesOrder
from sdelka.documents.tests.factories import ContractFactory, deal_expense, draft_document
from sdelka.marketing.tests.factories import (
    AdChannelFactory,
    ExpenseFactory,
    MarketingEventFactory,
    ParticipantFactory,
)
from sdelka.marketing.tests.weblead_factories import LeadFormFactory, UtmMappingFactory
from sdelka.partners.tests.factories import (
    ContactPersonFactory,
    CounterpartyFactory,
    IndividualFactory,
    PartnerFactory,
    PartnerGroupFactory,
)

pytestmark = pytest.mark.django_db

# API path, permission resource, how to make a record the user may see, a valid create body, a valid update body.
RESOURCES = {
    "partners": (
        "partner",
        lambda owner: PartnerFactory(manager=owner),
        lambda ctx: {"name": "New partner"},
        {"comment": "changed"},
    ),
    "counterparties": (
        "counterparty",
        lambda owner: CounterpartyFactory(partner__manager=owner),
        lambda ctx: {
            "partner": ctx["partner"].pk,
            "name": "LLC New",
            "country": "RU",
            "legal_form": "llc",
            "inn": "7736207543",
        },
        {"full_name": "Changed LLC"},
    ),
    "contacts": (
        "contact",
        lambda owner: ContactPersonFactory(partner__manager=owner),
        lambda ctx: {"partner": ctx["partner"].pk, "name": "Ivan Petrov"},
        {"position": "CEO"},
    ),
    "contracts": (
        "contract",
        lambda owner: ContractFactory(counterparty__partner__manager=owner),
        lambda ctx: {
            "counterparty": CounterpartyFactory(partner=ctx["partner"]).pk,
            "number": "N-1",
            "date": "2026-01-01",
        },
        {"subject": "changed"},
    ),
    "individuals": (
        "individual",
        lambda owner: IndividualFactory(),
        lambda ctx: {"name": "Anna Smirnova"},
        {"comment": "changed"},
    ),
    "products": (
        "product",
        lambda owner: ProductFactory(),
        lambda ctx: {"sku": "NEW-1", "name": "Valve", "price": "10.00"},
        {"price": str(Decimal("12.50"))},
    ),
    "partner-groups": (
        "partner_group",
        lambda owner: PartnerGroupFactory(),
        lambda ctx: {"name": "New group"},
        {"name": "Renamed"},
    ),
    "product-groups": (
        "product_group",
        lambda owner: ProductGroupFactory(),
        lambda ctx: {"name": "New group"},
        {"name": "Renamed"},
    ),
}
for _path, _resource, _model in (
    ("quotes", "quote", Quote),
    ("sales-orders", "sales_order", SalesOrder),
    ("sales", "sale", Sale),
    ("purchase-orders", "purchase_order", PurchaseOrder),
):
    RESOURCES[_path] = (
        _resource,
        lambda owner, model=_model: draft_document(model, owner=owner),
        (
            (lambda ctx: {"partner": PartnerFactory(manager=ctx["partner"].manager, is_supplier=True).pk})
            if _model is PurchaseOrder
            else (lambda ctx: {"partner": ctx["partner"].pk})
        ),
        {"comment": "changed"},
    )
RESOURCES["deal-expenses"] = (
    "deal_expense",
    lambda owner: deal_expense(owner=owner),
    lambda ctx: {
        "deal": DealFactory(manager=ctx["partner"].manager or UserFactory(), partner=ctx["partner"]).pk,
        "date": "2026-01-01",
        "kind": "travel",
        "amount": "10.00",
    },
    {"comment": "changed"},
)
RESOURCES["ad-channels"] = (
    "ad_channel",
    lambda owner: AdChannelFactory(),
    lambda ctx: {"name": "New channel", "source_type": "event"},
    {"name": "Renamed"},
)
RESOURCES["marketing-events"] = (
    "marketing_event",
    lambda owner: MarketingEventFactory(),
    lambda ctx: {"name": "Expo", "kind": "webinar", "start_date": "2026-01-01", "end_date": "2026-01-02"},
    {"name": "Renamed"},
)
RESOURCES["marketing-event-participants"] = (
    "marketing_event",
    lambda owner: ParticipantFactory(partner__manager=owner),
    lambda ctx: {"event": MarketingEventFactory().pk, "partner": ctx["partner"].pk},
    {"status": "registered"},
)
RESOURCES["marketing-event-expenses"] = (
    "marketing_event",
    lambda owner: ExpenseFactory(),
    lambda ctx: {
        "event": MarketingEventFactory().pk,
        "date": "2026-01-01",
        "description": "Stand",
        "amount": "10.00",
    },
    {"description": "changed"},
)
RESOURCES["lead-forms"] = (
    "lead_form",
    lambda owner: LeadFormFactory(),
    lambda ctx: {
        "name": "Site form",
        "deal_kind": DealKindFactory().pk,
        "manager": ctx["partner"].manager_id or UserFactory().pk,
    },
    {"name": "Renamed"},
)
RESOURCES["utm-mappings"] = (
    "lead_form",
    lambda owner: UtmMappingFactory(utm_source="yandex"),
    lambda ctx: {"utm_source": "google", "channel": AdChannelFactory().pk},
    {"utm_source": "bing"},
)
RESOURCES["segments"] = (
    "segment",
    lambda owner: _manual_segment(),
    lambda ctx: {
        "name": "Moscow",
        "kind": "rules",
        "rules": [{"field": "region", "operator": "equals", "value": "X"}],
    },
    {"description": "changed"},
)

RESOURCES["mailings"] = (
    "mailing",
    lambda owner: _draft_mailing(),
    lambda ctx: {
        "name": "News",
        "email_template": _mailing_template().pk,
        "segment": _manual_segment().pk,
    },
    {"name": "Renamed"},
)


def _mailing_template():
    from sdelka.interactions.models import EmailTemplate

    return EmailTemplate.objects.create(
        name=f"Mailing template {EmailTemplate.objects.count() + 1}",
        subject="Hello {{ partner.name }}",
        body="Text",
        language="en",
    )


def _draft_mailing():
    from sdelka.marketing.mailing_models import Mailing

    return Mailing.objects.create(
        name="Mailing", email_template=_mailing_template(), segment=_manual_segment()
    )


def _manual_segment():
    from sdelka.partners.models import Segment

    return Segment.objects.create(name=f"Segment {Segment.objects.count() + 1}", kind="manual")


ROLES = [Role.MANAGER, Role.HEAD, Role.MARKETER, Role.ADMIN]


def allowed(role: str, resource: str, action: str) -> bool:
    return role in RULES[resource][action]


@pytest.fixture
def actor(request, users_by_role):
    return users_by_role[request.param]


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_reading(role, path, users_by_role, api_client_for):
    resource, make, _, _ = RESOURCES[path]
    user = users_by_role[role]
    record = make(user if role in (Role.MANAGER, Role.HEAD) else None)
    client = api_client_for(user)

    listed = client.get(f"/api/v1/{path}/")
    detail = client.get(f"/api/v1/{path}/{record.pk}/")

    expected = 200 if allowed(role, resource, "view") else 403
    assert (listed.status_code, detail.status_code) == (expected, expected)
    if expected == 200:
        assert record.pk in [row["id"] for row in listed.json()["results"]]


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_creating(role, path, users_by_role, api_client_for):
    resource, _, body, _ = RESOURCES[path]
    user = users_by_role[role]
    ctx = {"partner": PartnerFactory(manager=user if role in (Role.MANAGER, Role.HEAD) else None)}
    model = _model_for(path)
    before = model.objects.count()

    response = api_client_for(user).post(f"/api/v1/{path}/", body(ctx), format="json")

    if allowed(role, resource, "add"):
        assert response.status_code == 201, response.content
        assert model.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert model.objects.count() == before


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_updating(role, path, users_by_role, api_client_for):
    resource, make, _, changes = RESOURCES[path]
    user = users_by_role[role]
    record = make(user if role in (Role.MANAGER, Role.HEAD) else None)

    response = api_client_for(user).patch(f"/api/v1/{path}/{record.pk}/", changes, format="json")

    field, value = next(iter(changes.items()))
    record.refresh_from_db()
    if allowed(role, resource, "change"):
        assert response.status_code == 200, response.content
        assert str(getattr(record, field)) == value
    else:
        assert response.status_code == 403
        assert str(getattr(record, field)) != value


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
def test_deleting(role, path, users_by_role, api_client_for):
    resource, make, _, _ = RESOURCES[path]
    user = users_by_role[role]
    record = make(user if role in (Role.MANAGER, Role.HEAD) else None)

    response = api_client_for(user).delete(f"/api/v1/{path}/{record.pk}/")

    exists = type(record).objects.filter(pk=record.pk).exists()
    if allowed(role, resource, "delete"):
        assert response.status_code == 204, response.content
        assert not exists
    else:
        assert response.status_code == 403
        assert exists


SCOPED = [
    "partners",
    "counterparties",
    "contacts",
    "contracts",
    "quotes",
    "sales-orders",
    "sales",
    "purchase-orders",
    "deal-expenses",
    "marketing-event-participants",
]


@pytest.mark.parametrize("path", SCOPED)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD])
def test_a_foreign_record_is_not_found_for_every_action(role, path, users_by_role, outsider, api_client_for):
    _, make, _, changes = RESOURCES[path]
    record = make(outsider)
    client = api_client_for(users_by_role[role])
    url = f"/api/v1/{path}/{record.pk}/"

    statuses = [
        client.get(url).status_code,
        client.patch(url, changes, format="json").status_code,
        client.put(url, changes, format="json").status_code,
        client.delete(url).status_code,
        client.get(f"{url}history/").status_code,
    ]

    assert statuses == [404] * 5
    assert type(record).objects.filter(pk=record.pk).exists()
    listed = client.get(f"/api/v1/{path}/").json()
    assert record.pk not in [row["id"] for row in listed["results"]]
    assert listed["count"] == 0


@pytest.mark.parametrize("path", ["partners", "counterparties", "contacts", "contracts"])
def test_a_foreign_record_is_not_found_on_its_pages(path, manager, outsider, page_client_for):
    from django.urls import reverse

    _, make, _, _ = RESOURCES[path]
    record = make(outsider)
    partner = (
        record if path == "partners" else getattr(record, "partner", None) or record.counterparty.partner
    )
    client = page_client_for(manager)

    for name in ("partners:partner_detail", "partners:partner_edit"):
        assert client.get(reverse(name, args=[partner.pk])).status_code == 404
    assert client.post(reverse("partners:partner_delete", args=[partner.pk])).status_code == 404
    assert partner.name not in client.get(reverse("partners:partner_list")).content.decode()


def _model_for(path):
    from sdelka.catalog.models import Product, ProductGroup
    from sdelka.documents.models import Contract, DealExpense
    from sdelka.marketing.mailing_models import Mailing
    from sdelka.marketing.models import (
        AdChannel,
        MarketingEvent,
        MarketingEventExpense,
        MarketingEventParticipant,
    )
    from sdelka.marketing.weblead_models import LeadForm, UtmMapping
    from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Segment

    return {
        "quotes": Quote,
        "sales-orders": SalesOrder,
        "sales": Sale,
        "purchase-orders": PurchaseOrder,
        "deal-expenses": DealExpense,
        "partners": Partner,
        "counterparties": Counterparty,
        "contacts": ContactPerson,
        "individuals": Individual,
        "products": Product,
        "contracts": Contract,
        "partner-groups": PartnerGroup,
        "product-groups": ProductGroup,
        "ad-channels": AdChannel,
        "marketing-events": MarketingEvent,
        "marketing-event-participants": MarketingEventParticipant,
        "marketing-event-expenses": MarketingEventExpense,
        "lead-forms": LeadForm,
        "utm-mappings": UtmMapping,
        "segments": Segment,
        "mailings": Mailing,
    }[path]
