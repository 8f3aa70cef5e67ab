"""Schemathesis sends generated requests, valid and invalid, to every operation of the OpenAPI schema.

The API must never answer with a server error (5xx): bad input of any kind is a 4xx with a message.
The run is short and derandomized (the same requests every time), so it can stay in the suite; run it
alone with ``pytest -m fuzz``.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from sdelka.accounts.models import Team, User
from sdelka.catalog.models import Product, ProductGroup
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory
from sdelka.deals.models import Deal, DealKind, LostReason, Stage
from sdelka.documents.models import Contract, DealExpense, PurchaseOrder, Quote, Sale, SalesOrder
from sdelka.documents.tests.factories import ContractFactory, deal_expense, deal_with_goods, draft_document
from sdelka.marketing.mailing_models import Mailing
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)
from sdelka.marketing.tests.factories import AdChannelFactory, ExpenseFactory, ParticipantFactory
from sdelka.marketing.tests.weblead_factories import lead_records
from sdelka.marketing.weblead_models import LeadForm, LeadSubmission, UtmMapping
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Segment
from sdelka.partners.tests.factories import (
    ContactPersonFactory,
    CounterpartyFactory,
    IndividualFactory,
    PartnerFactory,
    PartnerGroupFactory,
)

pytestmark = pytest.mark.fuzz

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20250101,
        "generation": {"max-examples": 10, "deterministic": True, "mode": "all", "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
    }
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Serve the requests on the test's own database connection, as Django's test client does.

    Django closes a connection at the end of a request when it is inside a transaction; here that is
    the test's transaction, and PostgreSQL would lose it (and the records) after the first request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_user) -> str:
    return Token.objects.create(user=admin_user).key


# Loaded when the module is collected: serving the schema needs no database. (A lazy schema from a
# fixture would fit pytest-django better, but schemathesis' lazy loader breaks on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.fixture(autouse=True)
def records(db, admin_user, manager, outsider):
    """Some records of every kind, visible and not, so that generated ids sometimes hit one."""
    wholesale = PartnerGroupFactory(name="Wholesale")
    PartnerGroupFactory(name="Moscow", parent=wholesale)
    for manager_of in (manager, outsider, None):
        partner = PartnerFactory(group=wholesale, manager=manager_of)
        ContractFactory(counterparty=CounterpartyFactory(partner=partner, inn="7707083893"))
        ContactPersonFactory(partner=partner)
    IndividualFactory()
    ProductFactory(group=ProductGroupFactory(name="Pumps"))
    deal_with_goods(manager=manager)
    for model in (Quote, SalesOrder, Sale, PurchaseOrder):
        draft_document(model, owner=manager)
    deal_expense(owner=manager)
    channel = AdChannelFactory(name="Exhibitions", source_type="event")
    AdChannelFactory(name="Regional", parent=channel, source_type="event")
    participant = ParticipantFactory(event__channel=channel, partner__manager=manager)
    ExpenseFactory(event=participant.event)
    lead_records(manager=manager, channel=channel, event=participant.event)
    Segment.objects.create(name="Hand list", kind="manual").members.add(participant.partner)
    Segment.objects.create(
        name="Moscow", kind="rules", rules=[{"field": "region", "operator": "contains", "value": "Moscow"}]
    )
    _mailings(participant.partner)


def _mailings(partner) -> None:
    """A draft and a started mailing (its task is queued on commit, which a test never reaches)."""
    from sdelka.interactions.models import EmailTemplate
    from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingStatus

    ContactPersonFactory(partner=partner, emails=["fuzz@client.example"])
    template = EmailTemplate.objects.create(
        name="Fuzz letter", subject="Hello {{ partner.name }}", body="Dear {{ contact.name }}", language="en"
    )
    audience = Segment.objects.create(name="Mailing audience", kind="manual")
    audience.members.add(partner)
    Mailing.objects.create(name="Draft", email_template=template, segment=audience)
    started = Mailing.objects.create(
        name="Started", email_template=template, segment=audience, status=MailingStatus.SENDING
    )
    MailingRecipient.objects.create(mailing=started, partner=partner, email="fuzz@client.example")


# The model behind each resource, to aim some generated requests at a record that exists.
MODELS = {
    "partners": Partner,
    "counterparties": Counterparty,
    "contacts": ContactPerson,
    "individuals": Individual,
    "partner-groups": PartnerGroup,
    "products": Product,
    "product-groups": ProductGroup,
    "users": User,
    "teams": Team,
    "contracts": Contract,
    "deals": Deal,
    "deal-kinds": DealKind,
    "deal-stages": Stage,
    "lost-reasons": LostReason,
    "quotes": Quote,
    "sales-orders": SalesOrder,
    "sales": Sale,
    "purchase-orders": PurchaseOrder,
    "deal-expenses": DealExpense,
    "ad-channels": AdChannel,
    "marketing-events": MarketingEvent,
    "marketing-event-participants": MarketingEventParticipant,
    "marketing-event-expenses": MarketingEventExpense,
    "lead-forms": LeadForm,
    "utm-mappings": UtmMapping,
    "lead-submissions": LeadSubmission,
    "segments": Segment,
    "mailings": Mailing,
}


def aim_at_a_record(case) -> None:
    """Random ids almost never exist: every other example gets the id of a real record instead.

    The newest record is taken, so the admin making the requests is never the user changed.
    """
    generated = (case.path_parameters or {}).get("id")
    if not isinstance(generated, int) or generated % 2:
        return
    model = MODELS.get(case.path.split("/")[3])
    if model is None:
        return
    newest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is not None:
        case.path_parameters["id"] = newest


@schema.parametrize()
# The records and the token are made once per operation and shared by its examples, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_operation_answers_with_a_server_error(case, admin_token):
    aim_at_a_record(case)
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=[not_a_server_error])
