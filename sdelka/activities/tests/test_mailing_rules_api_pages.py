"""Mailing rules through the API and the pages: validation with reasons, roles, the log; a real SMTP letter."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sdelka.activities.models import MailingRule, MailingRuleFiring, RuleAction, RuleTrigger
from sdelka.activities.services import mailing_rules as rules
from sdelka.deals.choices import ProcessType
from sdelka.deals.services import deal_move_to_stage
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of
from sdelka.interactions.email_templates import email_template_create
from sdelka.interactions.tests.test_email_sending import immediate_tasks, smtp_server  # noqa: F401
from sdelka.partners.tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote_template(admin_user):
    return email_template_create(
        actor=admin_user,
        data={
            "name": "Proposal reminder",
            "subject": "Proposal {{ quote.number }}",
            "body": "Total {{ quote.total }}",
            "language": "en",
        },
    )


def test_rules_are_refused_with_the_reason_beside_the_field(admin_user, quote_template):
    kind = DealKindFactory()
    other_kind = DealKindFactory()
    cases = [
        ({"trigger": RuleTrigger.DEAL_STAGE_ENTERED, "action": RuleAction.NOTIFY_MANAGER}, "stage"),
        (
            {
                "trigger": RuleTrigger.DEAL_STAGE_ENTERED,
                "deal_kind": kind,
                "stage": stages_of(other_kind)[0],
                "action": RuleAction.NOTIFY_MANAGER,
            },
            "stage",
        ),
        ({"trigger": RuleTrigger.DEAL_IDLE, "days": 0, "action": RuleAction.CREATE_TASK}, "days"),
        ({"trigger": RuleTrigger.CLAIM_REGISTERED, "days": 3, "action": RuleAction.CREATE_TASK}, "days"),
        (
            {
                "trigger": RuleTrigger.CLAIM_REGISTERED,
                "stage": stages_of(kind)[0],
                "action": RuleAction.CREATE_TASK,
            },
            "stage",
        ),
        ({"trigger": RuleTrigger.CLAIM_SETTLED, "action": RuleAction.SEND_EMAIL}, "email_template"),
        (
            {
                "trigger": RuleTrigger.CONTACT_BIRTHDAY,
                "action": RuleAction.SEND_EMAIL,
                "email_template": quote_template,
            },
            "email_template",
        ),
        (
            {
                "trigger": RuleTrigger.CONTACT_BIRTHDAY,
                "action": RuleAction.NOTIFY_MANAGER,
                "text": "{{ deal.name }}",
            },
            "text",
        ),
        (
            {
                "trigger": RuleTrigger.CLAIM_SETTLED,
                "action": RuleAction.NOTIFY_MANAGER,
                "text": "{{ claim.nr }}",
            },
            "text",
        ),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            rules.mailing_rule_create(actor=admin_user, data={"name": "Rule", **data})
        assert field in refused.value.message_dict, (data, refused.value.message_dict)
    assert not MailingRule.objects.exists()


def test_a_birthday_template_needing_a_proposal_is_explained(admin_user, quote_template):
    with pytest.raises(ValidationError) as refused:
        rules.mailing_rule_create(
            actor=admin_user,
            data={
                "name": "B",
                "trigger": RuleTrigger.CONTACT_BIRTHDAY,
                "action": RuleAction.SEND_EMAIL,
                "email_template": quote_template,
            },
        )
    assert "has no commercial proposal" in refused.value.message_dict["email_template"][0]


def test_api_crud_and_the_log_of_a_rule(api_client_for, admin_user, manager, quote_template):
    client = api_client_for(admin_user)
    created = client.post(
        "/api/v1/mailing-rules/",
        {
            "name": "Unanswered",
            "trigger": "quote_unanswered",
            "days": 3,
            "action": "send_email",
            "email_template": quote_template.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["active_since"] is not None
    rule_id = created.json()["id"]

    bad = client.patch(f"/api/v1/mailing-rules/{rule_id}/", {"days": 0}, format="json")
    assert (
        bad.status_code == 400 and "days" in bad.json()["errors"]
        if "errors" in bad.json()
        else "days" in bad.json()
    )
    assert MailingRule.objects.get().days == 3

    assert client.get(f"/api/v1/mailing-rules/{rule_id}/firings/").json()["count"] == 0
    assert api_client_for(manager).get("/api/v1/mailing-rules/").json()["count"] == 1
    assert api_client_for(manager).delete(f"/api/v1/mailing-rules/{rule_id}/").status_code == 403
    assert client.delete(f"/api/v1/mailing-rules/{rule_id}/").status_code == 204


def test_rule_pages_create_show_the_log_and_switch_off(
    page_client_for, admin_user, manager, django_assert_max_num_queries
):
    client = page_client_for(admin_user)
    answer = client.post(
        reverse("activities:mailing_rule_create"),
        {
            "name": "Idle",
            "is_active": "on",
            "trigger": "deal_idle",
            "days": "0",
            "action": "create_task",
            "task_due_days": "1",
        },
    )
    assert answer.status_code == 200 and "at least 1" in answer.content.decode()
    answer = client.post(
        reverse("activities:mailing_rule_create"),
        {
            "name": "Idle",
            "is_active": "on",
            "trigger": "deal_idle",
            "days": "5",
            "action": "create_task",
            "text": "Call {{ partner.name }}",
            "task_due_days": "1",
        },
    )
    assert answer.status_code == 302
    rule = MailingRule.objects.get()
    deals = [DealFactory(manager=manager) for _ in range(3)]
    MailingRule.objects.filter(pk=rule.pk).update(active_since=timezone.now() - timezone.timedelta(days=30))
    from sdelka.deals.models import Deal

    Deal.objects.filter(pk__in=[deal.pk for deal in deals]).update(
        updated_at=timezone.now() - timezone.timedelta(days=10)
    )
    rule.refresh_from_db()
    assert rules.mailing_rule_run(rule)["done"] == 3

    with django_assert_max_num_queries(25):
        page = client.get(reverse("activities:mailing_rule_detail", args=[rule.pk]))
    assert page.status_code == 200
    assert page.content.decode().count(">task<") == 3
    assert client.get(reverse("activities:mailing_rule_list")).status_code == 200

    client.post(reverse("activities:mailing_rule_toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert not rule.is_active

    manager_client = page_client_for(manager)
    assert manager_client.get(reverse("activities:mailing_rule_list")).status_code == 200
    assert manager_client.get(reverse("activities:mailing_rule_create")).status_code == 403
    assert manager_client.post(reverse("activities:mailing_rule_toggle", args=[rule.pk])).status_code == 403


def test_a_trigger_letter_reaches_a_real_smtp_server(
    admin_user,
    manager,
    smtp_server,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    template = email_template_create(
        actor=admin_user,
        data={
            "name": "Next step",
            "subject": "{{ deal.name }}: next step",
            "body": "Dear {{ contact.name }}, {{ manager.name }} will send the proposal.",
            "language": "en",
        },
    )
    kind = DealKindFactory(process_type=ProcessType.MANUAL)
    deal = DealFactory(kind=kind, manager=manager, name="Warehouse racks")
    deal.contacts.set(
        [ContactPersonFactory(partner=deal.partner, name="Irina", emails=["irina@client.example"])]
    )
    rule = rules.mailing_rule_create(
        actor=admin_user,
        data={
            "name": "Proposal stage",
            "trigger": RuleTrigger.DEAL_STAGE_ENTERED,
            "stage": stages_of(kind)[1],
            "action": RuleAction.SEND_EMAIL,
            "email_template": template,
        },
    )
    deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(kind)[1], version=deal.version)

    with django_capture_on_commit_callbacks(execute=True):
        rules.mailing_rule_run(rule, now=timezone.now() + timezone.timedelta(minutes=1))

    [received] = smtp_server.messages
    assert received["To"] == "irina@client.example"
    assert received["Subject"] == "Warehouse racks: next step"
    assert received["List-Unsubscribe"].strip().startswith("<http")
    body = received.get_payload(decode=True).decode()
    assert f"Dear Irina, {manager} will send the proposal." in body
    assert "/unsubscribe/" in body
    letter = MailingRuleFiring.objects.get().interactions.get()
    assert letter.email_status == "sent"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_a_rule_at_once_act_once_per_event():
    from sdelka.accounts.tests.factories import UserFactory

    admin = UserFactory(role="admin")
    kind = DealKindFactory(process_type=ProcessType.MANUAL)
    rule = rules.mailing_rule_create(
        actor=admin,
        data={
            "name": "Stage",
            "trigger": RuleTrigger.DEAL_STAGE_ENTERED,
            "stage": stages_of(kind)[1],
            "action": RuleAction.CREATE_TASK,
        },
    )
    for _ in range(5):
        deal = DealFactory(kind=kind)
        deal_move_to_stage(actor=admin, deal=deal, stage=stages_of(kind)[1], version=deal.version)
    barrier = threading.Barrier(2)
    results = []

    def work():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(rules.mailing_rule_run(MailingRule.objects.get(pk=rule.pk)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    from sdelka.activities.models import Task

    assert MailingRuleFiring.objects.count() == 5
    assert Task.objects.filter(title="Stage").count() == 5
    assert sum(result["done"] for result in results) == 5
