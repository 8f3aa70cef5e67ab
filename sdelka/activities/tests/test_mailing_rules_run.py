"""Mailing rules find their events and act on each once: letters, notices, tasks; unsubscribes honoured."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from sdelka.activities.models import (
    FiringOutcome,
    MailingRuleFiring,
    Notification,
    RuleAction,
    RuleTrigger,
    Task,
)
from sdelka.activities.services import mailing_rules as rules
from sdelka.claims import services as claim_services
from sdelka.deals.choices import ProcessType
from sdelka.deals.services import deal_move_to_stage
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of
from sdelka.documents.choices import QuoteStatus
from sdelka.documents.models import Quote
from sdelka.documents.services import document_create, document_set_status
from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind
from sdelka.interactions.email_templates import email_template_create
from sdelka.interactions.models import Interaction
from sdelka.interactions.optouts import email_opt_out
from sdelka.interactions.services import interaction_create
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=5)


@pytest.fixture
def template(admin_user):
    return email_template_create(
        actor=admin_user,
        data={
            "name": "Stage letter",
            "subject": "{{ deal.name }}: next step",
            "body": "Hello, {{ contact.name }}! {{ manager.name }} will call you about {{ deal.number }}.",
            "language": "en",
        },
    )


@pytest.fixture
def deal(manager):
    kind = DealKindFactory(process_type=ProcessType.MANUAL)
    deal = DealFactory(kind=kind, manager=manager)
    contact = ContactPersonFactory(partner=deal.partner, name="Anna Buyer", emails=["anna@client.example"])
    deal.contacts.set([contact])
    return deal


def _stage_rule(admin_user, deal, template, **extra):
    data = {
        "name": "Letter at proposal",
        "trigger": RuleTrigger.DEAL_STAGE_ENTERED,
        "deal_kind": deal.kind,
        "stage": stages_of(deal.kind)[1],
        "action": RuleAction.SEND_EMAIL,
        "email_template": template,
        **extra,
    }
    return rules.mailing_rule_create(actor=admin_user, data=data)


def test_a_deal_entering_the_stage_gets_one_letter_recorded_as_an_outgoing_email(
    admin_user, manager, deal, template, django_capture_on_commit_callbacks
):
    rule = _stage_rule(admin_user, deal, template)
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=deal.version)

    with django_capture_on_commit_callbacks() as callbacks:
        counts = rules.mailing_rule_run(rule, now=timezone.now() + LATER)

    assert counts == {"done": 1, "skipped": 0, "left": 0}
    [letter] = Interaction.objects.filter(kind=InteractionKind.EMAIL)
    assert letter.direction == Direction.OUTGOING
    assert letter.email_status == EmailStatus.QUEUED
    assert letter.email_to == ["anna@client.example"]
    assert letter.topic == f"{deal.name}: next step"
    assert letter.text.startswith(f"Hello, Anna Buyer! {manager} will call you about {deal.number}.")
    assert "/unsubscribe/" in letter.text and letter.unsubscribe_url in letter.text
    assert letter.deal_id == deal.pk and letter.responsible == manager
    assert len(callbacks) == 1  # the send is queued on commit

    again = rules.mailing_rule_run(rule, now=timezone.now() + LATER)
    assert again == {"done": 0, "skipped": 0, "left": 0}
    assert Interaction.objects.filter(kind=InteractionKind.EMAIL).count() == 1


def test_events_before_the_rule_was_switched_on_are_not_acted_on(admin_user, manager, deal, template):
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=deal.version)
    rule = _stage_rule(admin_user, deal, template)

    assert rules.mailing_rule_run(rule, now=timezone.now() + LATER)["done"] == 0


def test_a_deal_that_moved_on_before_the_run_gets_no_letter(admin_user, manager, deal, template):
    rule = _stage_rule(admin_user, deal, template)
    stages = stages_of(deal.kind)
    deal = deal_move_to_stage(actor=manager, deal=deal, stage=stages[1], version=deal.version)
    deal_move_to_stage(actor=manager, deal=deal, stage=stages[2], version=deal.version)

    assert rules.mailing_rule_run(rule, now=timezone.now() + LATER)["done"] == 0


def test_unsubscribed_addresses_get_no_letter_and_the_firing_says_why(admin_user, manager, deal, template):
    rule = _stage_rule(admin_user, deal, template)
    email_opt_out(email="ANNA@client.example")
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=deal.version)

    counts = rules.mailing_rule_run(rule, now=timezone.now() + LATER)

    assert counts["skipped"] == 1
    firing = MailingRuleFiring.objects.get(rule=rule)
    assert firing.outcome == FiringOutcome.SKIPPED and "anna@client.example" in firing.detail
    assert not Interaction.objects.filter(kind=InteractionKind.EMAIL).exists()


def test_a_failure_mid_action_leaves_no_trace_and_the_next_run_acts_once(admin_user, manager, deal, template):
    rule = _stage_rule(admin_user, deal, template)
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=deal.version)

    with mock.patch(
        "sdelka.interactions.services.interaction_send", side_effect=RuntimeError("worker killed")
    ):
        counts = rules.mailing_rule_run(rule, now=timezone.now() + LATER)
    assert counts == {"done": 0, "skipped": 0, "left": 1}
    assert not MailingRuleFiring.objects.exists()
    assert not Interaction.objects.exists()

    assert rules.mailing_rule_run(rule, now=timezone.now() + LATER)["done"] == 1
    assert rules.mailing_rule_run(rule, now=timezone.now() + LATER)["done"] == 0
    assert Interaction.objects.count() == 1


def test_an_idle_deal_makes_a_task_once_per_silence(admin_user, manager, deal):
    rule = rules.mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Idle deals",
            "trigger": RuleTrigger.DEAL_IDLE,
            "days": 7,
            "action": RuleAction.CREATE_TASK,
            "text": "Call {{ partner.name }} about {{ deal.name }}",
            "task_due_days": 2,
        },
    )
    start = timezone.now()

    assert rules.mailing_rule_run(rule, now=start + datetime.timedelta(days=6))["done"] == 0
    assert rules.mailing_rule_run(rule, now=start + datetime.timedelta(days=8))["done"] == 1
    assert rules.mailing_rule_run(rule, now=start + datetime.timedelta(days=9))["done"] == 0
    task = Task.objects.get()
    assert task.title == f"Call {deal.partner.name} about {deal.name}"
    assert task.assignee == manager and task.subject == deal

    # Activity ends the silence; seven more days of it make a new event.
    interaction_create(
        actor=manager,
        data={
            "kind": InteractionKind.CALL,
            "direction": Direction.OUTGOING,
            "subject": deal,
            "topic": "Called",
            "starts_at": start + datetime.timedelta(days=10),
        },
    )
    assert rules.mailing_rule_run(rule, now=start + datetime.timedelta(days=12))["done"] == 0
    assert rules.mailing_rule_run(rule, now=start + datetime.timedelta(days=18))["done"] == 1
    assert Task.objects.count() == 2


def test_an_unanswered_quote_notifies_its_manager_unless_the_client_answered(admin_user, manager, deal):
    from sdelka.catalog.tests.factories import ProductFactory

    rule = rules.mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Quote unanswered",
            "trigger": RuleTrigger.QUOTE_UNANSWERED,
            "days": 3,
            "action": RuleAction.NOTIFY_MANAGER,
            "text": "No answer to proposal {{ quote.number }} ({{ quote.total }})",
        },
    )
    product = ProductFactory()

    def sent_quote():
        quote = document_create(
            Quote,
            actor=manager,
            data={"partner": deal.partner, "deal": deal, "manager": manager},
            lines=[{"product": product, "quantity": Decimal("2"), "price": Decimal("1500.00")}],
        )
        return document_set_status(quote, actor=manager, status=QuoteStatus.SENT)

    quiet, answered = sent_quote(), sent_quote()
    interaction_create(
        actor=manager,
        data={
            "kind": InteractionKind.CALL,
            "direction": Direction.INCOMING,
            "partner": deal.partner,
            "topic": "Client called back",
            "starts_at": timezone.now() + datetime.timedelta(days=1),
        },
    )
    # The call answers both: only a quote sent after it is unanswered.
    assert rules.mailing_rule_run(rule, now=timezone.now() + datetime.timedelta(days=4))["done"] == 0
    Quote.objects.filter(pk=quiet.pk).update(sent_at=timezone.now() + datetime.timedelta(days=2))

    assert rules.mailing_rule_run(rule, now=timezone.now() + datetime.timedelta(days=6))["done"] == 1
    notice = Notification.objects.get()
    assert notice.user == manager
    assert notice.text.startswith(f"No answer to proposal {quiet.number} (3,000.00 RUB)")
    assert answered.pk != quiet.pk


def test_claim_registered_and_settled_are_separate_events(admin_user, manager):
    partner = PartnerFactory(manager=manager)
    ContactPersonFactory(partner=partner, emails=["boss@client.example"])
    registered = rules.mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Claim in",
            "trigger": RuleTrigger.CLAIM_REGISTERED,
            "action": RuleAction.NOTIFY_MANAGER,
        },
    )
    settled = rules.mailing_rule_create(
        actor=admin_user,
        data={"name": "Claim out", "trigger": RuleTrigger.CLAIM_SETTLED, "action": RuleAction.CREATE_TASK},
    )
    claim = claim_services.claim_create(
        actor=manager, data={"partner": partner, "description": "Broken pallet"}
    )
    later = timezone.now() + LATER

    assert rules.mailing_rule_run(registered, now=later)["done"] == 1
    assert rules.mailing_rule_run(settled, now=later)["done"] == 0
    claim_services.claim_settle(actor=manager, claim=claim, result="rejected", comment="Not our fault")
    assert rules.mailing_rule_run(settled, now=timezone.now() + LATER)["done"] == 1
    assert Task.objects.get().subject == claim


def test_birthdays_are_greeted_in_the_morning_once_a_year(admin_user, manager, settings):
    greeting = email_template_create(
        actor=admin_user,
        data={
            "name": "Birthday",
            "subject": "Happy birthday, {{ contact.name }}!",
            "body": "Best wishes.",
            "language": "en",
        },
    )
    partner = PartnerFactory(manager=manager)
    today = timezone.localdate()
    born = (
        today.replace(year=1980) if not (today.month == 2 and today.day == 29) else datetime.date(1980, 2, 29)
    )
    ContactPersonFactory(partner=partner, name="Ivan", birthday=born, emails=["ivan@client.example"])
    ContactPersonFactory(
        partner=partner,
        name="Other",
        birthday=born + datetime.timedelta(days=1),
        emails=["other@client.example"],
    )
    rule = rules.mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Birthdays",
            "trigger": RuleTrigger.CONTACT_BIRTHDAY,
            "action": RuleAction.SEND_EMAIL,
            "email_template": greeting,
        },
    )
    morning = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10, 0)))
    night = timezone.make_aware(datetime.datetime.combine(today, datetime.time(3, 0)))

    assert rules.mailing_rule_run(rule, now=night)["done"] == 0
    assert rules.mailing_rule_run(rule, now=morning)["done"] == 1
    assert rules.mailing_rule_run(rule, now=morning + LATER)["done"] == 0
    assert Interaction.objects.get().topic == "Happy birthday, Ivan!"


def test_29_february_birthdays_are_kept_on_28_february_in_a_common_year():
    from sdelka.activities.triggers import birthday_matches
    from sdelka.partners.models import ContactPerson

    leapling = ContactPersonFactory(birthday=datetime.date(2000, 2, 29))
    ContactPersonFactory(birthday=datetime.date(2000, 2, 28))
    on_28_common = ContactPerson.objects.filter(birthday_matches(datetime.date(2027, 2, 28)))
    on_28_leap = ContactPerson.objects.filter(birthday_matches(datetime.date(2028, 2, 28)))

    assert leapling in on_28_common and on_28_common.count() == 2
    assert leapling not in on_28_leap and on_28_leap.count() == 1


def test_a_stopped_rule_does_nothing_and_restarting_it_ignores_what_happened_meanwhile(
    admin_user, manager, deal, template
):
    rule = _stage_rule(admin_user, deal, template)
    rules.mailing_rule_update(actor=admin_user, rule=rule, data={"is_active": False})
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=deal.version)
    assert rules.mailing_rules_run(now=timezone.now() + LATER)["done"] == 0

    rules.mailing_rule_update(actor=admin_user, rule=rule, data={"is_active": True})
    assert rules.mailing_rules_run(now=timezone.now() + LATER)["done"] == 0
