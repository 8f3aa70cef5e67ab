"""The tasks API: scope, assignment rules, the actions, and the typical sale completed over the API."""

import datetime

import pytest
from django.utils import timezone

from sdelka.activities.models import Task, TaskStatus
from sdelka.activities.tests.task_factories import TaskFactory
from sdelka.deals import services as deal_services
from sdelka.deals.choices import DealStatus
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/tasks/"


def due(days=1) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_a_manager_creates_a_task_for_themself_about_their_deal(manager, api_client_for):
    deal = DealFactory(manager=manager)
    answer = api_client_for(manager).post(
        URL,
        {"title": "Call back", "due_at": due(), "subject_type": "deal", "subject_id": deal.pk},
        format="json",
    )
    assert answer.status_code == 201, answer.data
    task = Task.objects.get(pk=answer.data["id"])
    assert task.assignee == manager and task.author == manager and task.subject == deal
    assert answer.data["subject_type"] == "deal" and answer.data["subject_name"] == str(deal)


def test_a_manager_cannot_give_a_task_to_a_teammate_but_the_head_can(manager, teammate, head, api_client_for):
    body = {"title": "Visit", "due_at": due(), "assignee": teammate.pk}
    refused = api_client_for(manager).post(URL, body, format="json")
    assert refused.status_code == 400 and "assignee" in refused.data
    assert api_client_for(head).post(URL, body, format="json").status_code == 201
    assert Task.objects.count() == 1


def test_a_head_cannot_give_a_task_outside_the_team(head, outsider, api_client_for):
    answer = api_client_for(head).post(
        URL, {"title": "Visit", "due_at": due(), "assignee": outsider.pk}, format="json"
    )
    assert answer.status_code == 400 and "assignee" in answer.data


@pytest.mark.parametrize(
    "body, field",
    [
        ({"due_at": "tomorrow"}, "due_at"),
        ({"title": ""}, "title"),
        ({"title": 5}, "title"),
        ({"priority": "urgent"}, "priority"),
        ({"subject_type": "deal"}, "subject_id"),
        ({"subject_type": "product", "subject_id": 1}, "subject_type"),
        ({"subject_type": "deal", "subject_id": 999999}, "subject_id"),
    ],
)
def test_bad_input_is_answered_with_the_field_and_nothing_is_stored(manager, api_client_for, body, field):
    answer = api_client_for(manager).post(URL, {"title": "Call", "due_at": due(), **body}, format="json")
    assert answer.status_code == 400 and field in answer.data
    assert not Task.objects.exists()


def test_a_subject_outside_the_scope_is_not_found(manager, outsider, api_client_for):
    foreign = DealFactory(manager=outsider)
    answer = api_client_for(manager).post(
        URL,
        {"title": "Peek", "due_at": due(), "subject_type": "deal", "subject_id": foreign.pk},
        format="json",
    )
    assert answer.status_code == 400 and "subject_id" in answer.data


def test_the_scope_assignee_author_and_head_see_it_others_get_404(
    manager, teammate, head, outsider, admin_user, marketer, api_client_for
):
    task = TaskFactory(assignee=teammate, author=head)
    for user in (teammate, head, admin_user):
        assert api_client_for(user).get(f"{URL}{task.pk}/").status_code == 200
    for user in (manager, outsider, marketer):
        assert api_client_for(user).get(f"{URL}{task.pk}/").status_code == 404
        assert api_client_for(user).post(f"{URL}{task.pk}/complete/", {}, format="json").status_code == 404
    assert [row["id"] for row in api_client_for(manager).get(URL).data["results"]] == []


def test_start_complete_reopen_and_cancel(manager, api_client_for):
    client = api_client_for(manager)
    task = TaskFactory(assignee=manager)
    assert client.post(f"{URL}{task.pk}/start/").data["status"] == TaskStatus.IN_PROGRESS
    done = client.post(f"{URL}{task.pk}/complete/", {"result": "Called"}, format="json")
    assert done.status_code == 200 and done.data["status"] == "done" and done.data["result"] == "Called"
    assert done.data["completed_at"] is not None
    again = client.post(f"{URL}{task.pk}/complete/", {}, format="json")
    assert again.status_code == 400
    assert client.post(f"{URL}{task.pk}/reopen/").data["status"] == TaskStatus.IN_PROGRESS
    cancelled = client.post(f"{URL}{task.pk}/cancel/", {"result": "Not needed"}, format="json")
    assert cancelled.data["status"] == "cancelled"


def test_the_assignee_who_is_not_the_author_cannot_cancel_or_reopen(manager, head, api_client_for):
    task = TaskFactory(assignee=manager, author=head)
    assert api_client_for(manager).post(f"{URL}{task.pk}/cancel/", {}, format="json").status_code == 403
    assert api_client_for(head).post(f"{URL}{task.pk}/cancel/", {}, format="json").status_code == 200
    assert api_client_for(manager).post(f"{URL}{task.pk}/reopen/").status_code == 403
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_a_manager_may_not_delete_a_task_a_head_may(manager, head, api_client_for):
    task = TaskFactory(assignee=manager)
    assert api_client_for(manager).delete(f"{URL}{task.pk}/").status_code == 403
    assert api_client_for(head).delete(f"{URL}{task.pk}/").status_code == 204


def test_filters_status_due_and_subject_type(manager, api_client_for):
    now = timezone.now()
    late = TaskFactory(assignee=manager, due_at=now - datetime.timedelta(hours=2))
    later = TaskFactory(assignee=manager, due_at=now + datetime.timedelta(days=30))
    about_partner = TaskFactory(assignee=manager, due_at=now + datetime.timedelta(days=30))
    from django.contrib.contenttypes.models import ContentType

    partner = PartnerFactory(manager=manager)
    about_partner.subject_type = ContentType.objects.get_for_model(partner)
    about_partner.subject_id = partner.pk
    about_partner.save()
    TaskFactory(assignee=manager, status=TaskStatus.DONE, due_at=now - datetime.timedelta(days=1))
    client = api_client_for(manager)

    def ids(query):
        return {row["id"] for row in client.get(URL + query).data["results"]}

    assert ids("?due=overdue") == {late.pk}
    assert ids("?status=open") == {late.pk, later.pk, about_partner.pk}
    assert ids("?subject_type=partner") == {about_partner.pk}
    assert ids("?due=later&subject_type=deal") == set()


def test_the_list_makes_a_fixed_number_of_queries(manager, api_client_for, django_assert_max_num_queries):
    for _ in range(3):
        deal = DealFactory(manager=manager)
        TaskFactory(assignee=manager, subject_type_id=None)
        from django.contrib.contenttypes.models import ContentType

        TaskFactory(
            assignee=manager, subject_type=ContentType.objects.get_for_model(deal), subject_id=deal.pk
        )
    client = api_client_for(manager)
    client.get(URL)
    with django_assert_max_num_queries(8):
        answer = client.get(URL)
    assert answer.data["count"] == 6


def test_a_typical_sale_is_moved_and_won_through_the_complete_endpoint(manager, api_client_for):
    kind = DealKindFactory()
    deal = deal_services.deal_create(
        actor=manager, data={"name": "Boilers", "partner": PartnerFactory(manager=manager), "kind": kind}
    )
    client = api_client_for(manager)
    stages = stages_of(kind)
    for stage in stages:
        step = client.get(f"{URL}?status=open&subject_type=deal").data["results"]
        assert len(step) == 1 and step[0]["process_stage"] == stage.pk
        if stage != stages[-1]:
            assert client.post(f"{URL}{step[0]['id']}/complete/", {}, format="json").status_code == 200
    refused = client.post(f"{URL}{step[0]['id']}/complete/", {"result": "?"}, format="json")
    assert refused.status_code == 400 and "outcome" in refused.data
    won = client.post(f"{URL}{step[0]['id']}/complete/", {"outcome": "won"}, format="json")
    assert won.status_code == 200
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON


def test_changing_a_task_checks_the_assignee_and_keeps_a_process_step_with_its_deal(
    manager, teammate, api_client_for
):
    client = api_client_for(manager)
    task = TaskFactory(assignee=manager)
    refused = client.patch(f"{URL}{task.pk}/", {"assignee": teammate.pk}, format="json")
    assert refused.status_code == 400 and "assignee" in refused.data
    assert client.patch(f"{URL}{task.pk}/", {"priority": "high"}, format="json").data["priority"] == "high"
    deal = deal_services.deal_create(
        actor=manager,
        data={"name": "Gears", "partner": PartnerFactory(manager=manager), "kind": DealKindFactory()},
    )
    step = Task.objects.get(subject_id=deal.pk, process_stage__isnull=False)
    moved = client.patch(f"{URL}{step.pk}/", {"subject_type": None, "subject_id": None}, format="json")
    assert moved.status_code == 400 and "subject" in str(moved.data)
    assert Task.objects.get(pk=step.pk).subject == deal


def test_a_done_task_cannot_be_changed(manager, api_client_for):
    task = TaskFactory(assignee=manager, status=TaskStatus.DONE)
    answer = api_client_for(manager).patch(f"{URL}{task.pk}/", {"title": "New"}, format="json")
    assert answer.status_code == 400
    assert Task.objects.get(pk=task.pk).title == task.title
