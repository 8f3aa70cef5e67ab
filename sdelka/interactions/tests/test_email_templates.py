"""E-mail templates: placeholders checked with the bad one named, filled as plain text, previewed, kept by role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sdelka.deals.tests.factories import DealFactory
from sdelka.interactions import letters
from sdelka.interactions.email_templates import email_template_create, email_template_update
from sdelka.interactions.models import EmailTemplate
from sdelka.partners.tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dear {{ contact.name }}", []),
        ("{{partner.name}} and {{   deal.number }}", []),
        ("Dear {{ parnter.name }}", ["Unknown placeholder “{{ parnter.name }}”"]),
        ("{{ partner.__class__ }}", ["Unknown placeholder “{{ partner.__class__ }}”"]),
        ("{{ settings.SECRET_KEY }}", ["Unknown placeholder “{{ settings.SECRET_KEY }}”"]),
        ("Hello {{ partner.name", ["A placeholder is not closed"]),
        ("{% load static %}{{ partner.name }}", ["Only placeholders like {{ partner.name }} are allowed"]),
    ],
)
def test_placeholders_are_checked_against_the_fixed_list(text, expected):
    problems = letters.check_text(text)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_a_template_with_a_bad_placeholder_is_refused_and_nothing_is_stored(admin_user):
    with pytest.raises(ValidationError) as refused:
        email_template_create(
            actor=admin_user,
            data={"name": "Bad", "subject": "Hi {{ contact.nmae }}", "body": "Text", "language": "en"},
        )
    assert "contact.nmae" in refused.value.message_dict["subject"][0]
    assert not EmailTemplate.objects.exists()


def test_filling_is_plain_text_and_never_runs_template_code(manager):
    deal = DealFactory(manager=manager, name="<b>{{ deal.number }}</b> {% now 'Y' %}")
    contact = ContactPersonFactory(partner=deal.partner, name="Anna")
    template = EmailTemplate(
        subject="{{ deal.name }}", body="Hi {{ contact.name }}, {{ manager.name }}", language="en"
    )

    subject, body = letters.render(
        template, letters.LetterContext(partner=deal.partner, contact=contact, deal=deal, manager=manager)
    )

    # The deal's name is inserted as written: its braces are not filled again, its tag is not run.
    assert subject == "<b>{{ deal.number }}</b> {% now 'Y' %}"
    assert body == f"Hi Anna, {manager}"


def test_money_and_dates_follow_the_template_language(manager):
    from decimal import Decimal

    deal = DealFactory(manager=manager, expected_amount=Decimal("1234567.50"))
    context = letters.LetterContext(deal=deal)
    assert letters.fill("{{ deal.amount }}", context, language="en") == "1,234,567.50 RUB"
    assert letters.fill("{{ deal.amount }}", context, language="ru") == "1\xa0234\xa0567,50 RUB"


def test_the_unsubscribe_link_is_added_unless_the_template_places_it():
    context = letters.LetterContext(unsubscribe_url="https://crm.example/unsubscribe/t/")
    added = EmailTemplate(subject="S", body="Body", language="en")
    placed = EmailTemplate(subject="S", body="Stop: {{ unsubscribe_url }}", language="en")

    assert letters.render(added, context)[1].endswith("https://crm.example/unsubscribe/t/\n")
    assert letters.render(placed, context)[1] == "Stop: https://crm.example/unsubscribe/t/"


def test_api_refuses_a_bad_placeholder_with_the_field_named(api_client_for, admin_user):
    client = api_client_for(admin_user)
    answer = client.post(
        "/api/v1/email-templates/",
        {"name": "Offer", "subject": "Offer", "body": "Total {{ quote.totl }}", "language": "en"},
        format="json",
    )
    assert answer.status_code == 400
    assert "quote.totl" in str(answer.json())
    assert not EmailTemplate.objects.exists()

    created = client.post(
        "/api/v1/email-templates/",
        {"name": "Offer", "subject": "Offer {{ quote.number }}", "body": "Total {{ quote.total }}"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["placeholders"] == ["quote.number", "quote.total"]


def test_a_manager_reads_templates_but_does_not_write_them(api_client_for, manager, admin_user):
    email_template_create(actor=admin_user, data={"name": "T", "subject": "S", "body": "B", "language": "en"})
    client = api_client_for(manager)
    assert client.get("/api/v1/email-templates/").json()["count"] == 1
    answer = client.post(
        "/api/v1/email-templates/", {"name": "X", "subject": "S", "body": "B"}, format="json"
    )
    assert answer.status_code == 403


def test_preview_fills_from_a_chosen_deal_the_caller_sees(api_client_for, manager, outsider):
    deal = DealFactory(manager=manager, name="Forklift")
    ContactPersonFactory(partner=deal.partner, name="Oleg")
    data = {
        "subject": "About {{ deal.name }}",
        "body": "Dear {{ contact.name }}",
        "language": "en",
        "deal": deal.pk,
    }

    answer = api_client_for(manager).post("/api/v1/email-templates/preview/", data, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["subject"] == "About Forklift"
    assert answer.json()["body"].startswith("Dear Oleg")

    foreign = api_client_for(outsider).post("/api/v1/email-templates/preview/", data, format="json")
    assert foreign.status_code == 400  # the deal is not in the outsider's scope

    bad = api_client_for(manager).post(
        "/api/v1/email-templates/preview/", {**data, "body": "{{ deal.nmae }}"}, format="json"
    )
    assert bad.status_code == 400 and "deal.nmae" in str(bad.json())


def test_template_pages_save_preview_and_refuse_bad_placeholders(page_client_for, admin_user, manager):
    DealFactory(manager=admin_user, name="Crane rental")
    client = page_client_for(admin_user)
    assert client.get(reverse("interactions:email_template_list")).status_code == 200

    bad = client.post(
        reverse("interactions:email_template_create"),
        {"name": "Hello", "subject": "Hi", "body": "{{ partner.nam }}", "language": "en", "is_active": "on"},
    )
    assert bad.status_code == 200 and "partner.nam" in bad.content.decode()
    assert not EmailTemplate.objects.exists()

    saved = client.post(
        reverse("interactions:email_template_create"),
        {
            "name": "Hello",
            "subject": "Hi {{ deal.name }}",
            "body": "Text",
            "language": "en",
            "is_active": "on",
        },
    )
    assert saved.status_code == 302
    template = EmailTemplate.objects.get()
    assert client.get(reverse("interactions:email_template_edit", args=[template.pk])).status_code == 200

    preview = client.post(
        reverse("interactions:email_template_preview"),
        {"subject": "Hi {{ deal.name }}", "body": "B", "language": "en"},
    )
    assert "Hi Crane rental" in preview.content.decode()

    manager_client = page_client_for(manager)
    assert manager_client.get(reverse("interactions:email_template_create")).status_code == 403
    assert (
        manager_client.post(reverse("interactions:email_template_delete", args=[template.pk])).status_code
        == 403
    )


def test_a_template_a_rule_sends_is_not_deleted_and_not_changed_beyond_the_rules_event(admin_user):
    from sdelka.activities.models import RuleAction, RuleTrigger
    from sdelka.activities.services.mailing_rules import mailing_rule_create
    from sdelka.interactions.email_templates import email_template_delete

    template = email_template_create(
        actor=admin_user,
        data={"name": "Greeting", "subject": "Happy birthday", "body": "B", "language": "en"},
    )
    mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Birthdays",
            "trigger": RuleTrigger.CONTACT_BIRTHDAY,
            "action": RuleAction.SEND_EMAIL,
            "email_template": template,
        },
    )
    with pytest.raises(ValidationError, match="Mailing rules send this template"):
        email_template_delete(actor=admin_user, template=template)
    with pytest.raises(ValidationError) as refused:
        email_template_update(
            actor=admin_user, template=template, data={"body": "Your proposal {{ quote.total }}"}
        )
    assert "Birthdays" in refused.value.message_dict["body"][0]
    template.refresh_from_db()
    assert template.body == "B"


def test_the_preview_of_a_claim_letter_is_filled_from_the_latest_claim(page_client_for, manager):
    from sdelka.claims.services import claim_create
    from sdelka.partners.tests.factories import PartnerFactory

    claim = claim_create(
        actor=manager, data={"partner": PartnerFactory(manager=manager), "description": "Dent"}
    )
    answer = page_client_for(manager).post(
        reverse("interactions:email_template_preview"),
        {"subject": "Claim {{ claim.number }}", "body": "Due {{ claim.deadline }}", "language": "en"},
    )
    assert f"Claim {claim.number}" in answer.content.decode()
