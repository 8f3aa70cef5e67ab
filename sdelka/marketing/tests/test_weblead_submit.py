"""A visitor's request through ``lead_submit``: a new client with contact, deal, interaction and notice; an
existing partner matched by e-mail or phone; the primary interest from the UTM mapping; refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sdelka.activities.models import Notification
from sdelka.deals.models import Deal
from sdelka.interactions.choices import Direction, InteractionKind
from sdelka.interactions.models import Interaction
from sdelka.marketing.choices import SourceType
from sdelka.marketing.tests.factories import AdChannelFactory, MarketingEventFactory, channel_of
from sdelka.marketing.tests.weblead_factories import LeadFormFactory, UtmMappingFactory
from sdelka.marketing.weblead import lead_submit
from sdelka.marketing.weblead_models import LeadOutcome, LeadSubmission
from sdelka.marketing.weblead_selectors import phone_digits, utm_mapping_for
from sdelka.partners.models import ContactPerson, Partner
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LEAD = {
    "name": "Ivan Petrov",
    "company": "Stroy LLC",
    "phone": "+7 (495) 123-45-67",
    "email": "Ivan@Stroy.ru",
}


@pytest.fixture
def form(manager):
    return LeadFormFactory(manager=manager, name="Site")


def test_a_new_visitor_becomes_a_client_with_contact_deal_interaction_and_a_notice(form, manager):
    submission = lead_submit(form=form, data={**LEAD, "comment": "Need 40 valves"}, ip="10.0.0.1")

    partner = Partner.objects.get(name="Stroy LLC")
    assert (partner.is_client, partner.manager, partner.kind) == (True, manager, "company")
    contact = partner.contacts.get()
    assert (contact.name, contact.phones, contact.emails) == ("Ivan Petrov", [LEAD["phone"]], [LEAD["email"]])
    deal = Deal.objects.get(partner=partner)
    assert (deal.kind, deal.manager, deal.description) == (form.deal_kind, manager, "Need 40 valves")
    assert deal.stage == form.deal_kind.stages.order_by("order").first()
    assert list(deal.contacts.all()) == [contact]
    interaction = Interaction.objects.get(partner=partner)
    assert (interaction.kind, interaction.direction) == (InteractionKind.EMAIL, Direction.INCOMING)
    assert (interaction.deal, interaction.responsible, interaction.email_from) == (
        deal,
        manager,
        LEAD["email"],
    )
    assert "Need 40 valves" in interaction.text
    assert interaction.reviewed is False
    notice = Notification.objects.get(user=manager)
    assert "Stroy LLC" in notice.text and notice.link.endswith(f"/deals/{deal.pk}/")
    assert (submission.outcome, submission.partner, submission.contact, submission.deal) == (
        LeadOutcome.CREATED,
        partner,
        contact,
        deal,
    )
    assert submission.ip_address == "10.0.0.1"
    assert submission.data["comment"] == "Need 40 valves"


def test_a_person_without_a_company_becomes_a_person_partner(form):
    lead_submit(form=form, data={"name": "Anna", "email": "anna@example.com"}, ip=None)

    partner = Partner.objects.get(name="Anna")
    assert partner.kind == "person"


def test_a_known_contacts_email_matches_ignoring_case_and_the_partner_keeps_its_manager(form, teammate):
    known = PartnerFactory(manager=teammate, name="Old client")
    contact = ContactPersonFactory(partner=known, emails=["ivan@stroy.ru"])

    submission = lead_submit(form=form, data={**LEAD, "phone": ""}, ip=None)

    assert Partner.objects.count() == 1
    assert (submission.outcome, submission.partner, submission.contact) == (
        LeadOutcome.MATCHED,
        known,
        contact,
    )
    assert ContactPerson.objects.count() == 1
    assert submission.deal.manager == teammate
    assert Notification.objects.get().user == teammate


def test_a_partners_own_email_matches_and_the_visitor_becomes_its_new_contact(form, manager):
    known = PartnerFactory(manager=manager, emails=["office@stroy.ru", "IVAN@STROY.RU"])

    submission = lead_submit(form=form, data=LEAD, ip=None)

    assert submission.partner == known
    assert submission.contact.partner == known and submission.contact.name == "Ivan Petrov"
    assert Partner.objects.count() == 1


def test_a_phone_matches_by_its_digits_whatever_the_format(form, manager):
    known = PartnerFactory(manager=manager)
    contact = ContactPersonFactory(partner=known, phones=["8 495 123 45 67 ext. 12"], emails=[])

    submission = lead_submit(form=form, data={"name": "Ivan", "phone": "+7-495-1234567"}, ip=None)

    assert (submission.partner, submission.contact) == (known, contact)


def test_a_different_phone_or_email_is_a_new_client(form, manager):
    PartnerFactory(manager=manager, emails=["ivan@stroy.ru.com"], phones=["+7 495 123-45-68"])

    submission = lead_submit(form=form, data=LEAD, ip=None)

    assert submission.outcome == LeadOutcome.CREATED
    assert Partner.objects.count() == 2


def test_a_supplier_who_asks_becomes_a_client_too(form, manager):
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True, emails=["ivan@stroy.ru"])

    submission = lead_submit(form=form, data=LEAD, ip=None)

    supplier.refresh_from_db()
    assert supplier.is_client and supplier.is_supplier
    assert submission.deal.partner == supplier


def test_phone_digits_are_the_national_number():
    assert phone_digits("+7 (495) 123-45-67") == phone_digits("8 495 1234567 доб. 5") == "4951234567"


# --- UTM mapping ----------------------------------------------------------------------------------------------


def test_the_most_specific_mapping_wins_and_the_event_becomes_the_source(form):
    internet, expos = channel_of(""), channel_of(SourceType.EVENT)
    expo = MarketingEventFactory(name="Stroyexpo")
    UtmMappingFactory(utm_source="yandex", channel=internet)
    UtmMappingFactory(utm_source="yandex", utm_campaign="expo", channel=expos, event=expo)

    lead_submit(form=form, data=LEAD, ip=None, utm={"utm_source": "Yandex", "utm_campaign": "EXPO"})

    partner = Partner.objects.get()
    assert (partner.primary_interest_channel, partner.primary_interest_source) == (expos, expo)
    deal = Deal.objects.get()
    assert (deal.primary_interest_channel, deal.primary_interest_source) == (expos, expo)


def test_a_general_mapping_applies_when_the_specific_one_does_not_match(form):
    internet, expos = channel_of(""), channel_of(SourceType.EVENT)
    UtmMappingFactory(utm_source="yandex", channel=internet)
    UtmMappingFactory(utm_source="yandex", utm_campaign="expo", channel=expos)

    assert (
        utm_mapping_for(form=form, utm={"utm_source": "yandex", "utm_campaign": "spring"}).channel == internet
    )
    assert utm_mapping_for(form=form, utm={"utm_source": "google"}) is None


def test_the_forms_own_mapping_beats_a_global_one_of_the_same_detail(form):
    mine, everyone = AdChannelFactory(name="Mine"), AdChannelFactory(name="Global")
    UtmMappingFactory(utm_source="vk", channel=everyone)
    UtmMappingFactory(utm_source="vk", channel=mine, form=form)
    UtmMappingFactory(utm_source="vk", channel=everyone, form=LeadFormFactory(manager=form.manager))

    assert utm_mapping_for(form=form, utm={"utm_source": "vk"}).channel == mine


def test_without_a_match_the_forms_default_channel_is_the_interest(manager):
    site = channel_of("")
    form = LeadFormFactory(manager=manager, default_channel=site)
    UtmMappingFactory(utm_source="yandex", channel=channel_of(SourceType.EVENT))

    lead_submit(form=form, data=LEAD, ip=None, utm={"utm_source": "google"})

    partner = Partner.objects.get()
    assert (partner.primary_interest_channel, partner.primary_interest_source) == (site, None)


def test_a_matched_partner_keeps_its_first_interest_and_the_deal_gets_the_visits(form, manager):
    first, internet = channel_of(""), channel_of(SourceType.EVENT)
    known = PartnerFactory(manager=manager, emails=["ivan@stroy.ru"], primary_interest_channel=first)
    UtmMappingFactory(utm_medium="cpc", channel=internet)

    submission = lead_submit(form=form, data=LEAD, ip=None, utm={"utm_medium": "cpc"})

    known.refresh_from_db()
    assert known.primary_interest_channel == first
    assert submission.deal.primary_interest_channel == internet


# --- refusals -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "email": "a@b.ru"}, "name"),
        ({"name": "Ivan"}, "phone"),
        ({"name": "Ivan", "phone": "call me"}, "phone"),
        ({"name": "Ivan", "email": "not-an-address"}, "email"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(form, data, field):
    with pytest.raises(ValidationError) as refused:
        lead_submit(form=form, data=data, ip="10.0.0.1")

    assert field in refused.value.message_dict
    assert (Partner.objects.count(), Deal.objects.count(), LeadSubmission.objects.count()) == (0, 0, 0)


def test_a_switched_off_form_takes_no_request(form):
    form.active = False
    form.save()

    with pytest.raises(ValidationError):
        lead_submit(form=form, data=LEAD, ip=None)

    assert Partner.objects.count() == 0


def test_a_failure_half_way_leaves_nothing(form, monkeypatch):
    def broken(**kwargs):
        raise ValidationError("mail server is down")

    monkeypatch.setattr("sdelka.interactions.services.interaction_create", broken)

    with pytest.raises(ValidationError):
        lead_submit(form=form, data=LEAD, ip=None)

    assert (Partner.objects.count(), ContactPerson.objects.count(), Deal.objects.count()) == (0, 0, 0)
    assert LeadSubmission.objects.count() == 0
