"""The task pages: my tasks with overdue highlighted, the team view, quick complete, the complete form."""

import datetime

import pytest
from django.utils import timezone

from sdelka.activities.context_processors import task_counts
from sdelka.activities.models import Task, TaskStatus
from sdelka.activities.tests.task_factories import TaskFactory
from sdelka.deals import services as deal_services
from sdelka.deals.choices import DealStatus
from sdelka.deals.tests.factories import DealKindFactory, LostReasonFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
LIST = "/activities/tasks/"


def test_my_tasks_shows_my_open_tasks_with_the_overdue_highlighted(manager, teammate, page_client_for):
    now = timezone.now()
    late = TaskFactory(assignee=manager, title="Late one", due_at=now - datetime.timedelta(days=1))
    TaskFactory(assignee=manager, title="Fresh one", due_at=now + datetime.timedelta(days=1))
    TaskFactory(assignee=manager, title="Finished one", status=TaskStatus.DONE)
    TaskFactory(assignee=teammate, title="Not mine")
    page = page_client_for(manager).get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Late one" in html and "Fresh one" in html
    assert "Finished one" not in html and "Not mine" not in html
    assert f'class="task-row overdue" id="task-{late.pk}"' in html


def test_the_list_filters_by_due_period(manager, page_client_for):
    now = timezone.now()
    TaskFactory(assignee=manager, title="Late one", due_at=now - datetime.timedelta(days=1))
    TaskFactory(assignee=manager, title="Far one", due_at=now + datetime.timedelta(days=40))
    html = page_client_for(manager).get(LIST + "?due=overdue").content.decode()
    assert "Late one" in html and "Far one" not in html


def test_the_list_makes_a_fixed_number_of_queries(manager, page_client_for, django_assert_max_num_queries):
    for _ in range(5):
        TaskFactory(assignee=manager)
    client = page_client_for(manager)
    client.get(LIST)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


def test_the_team_view_is_for_heads_and_groups_by_assignee(manager, head, teammate, page_client_for):
    TaskFactory(
        assignee=teammate,
        author=teammate,
        title="Teammate's",
        due_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert page_client_for(manager).get(LIST + "team/").status_code == 404
    page = page_client_for(head).get(LIST + "team/")
    assert page.status_code == 200 and "Teammate&#x27;s" in page.content.decode()
    summary = list(page.context["summary"])
    assert [(row["assignee"], row["open"], row["overdue"]) for row in summary] == [(teammate.pk, 1, 1)]


def test_quick_complete_marks_it_done(manager, page_client_for):
    task = TaskFactory(assignee=manager)
    answer = page_client_for(manager).post(f"{LIST}{task.pk}/complete/", {"next": LIST})
    assert answer.status_code == 302 and answer["Location"] == LIST
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_another_users_task_is_404_on_every_page(manager, outsider, page_client_for):
    task = TaskFactory(assignee=outsider)
    client = page_client_for(manager)
    for url in (f"{LIST}{task.pk}/", f"{LIST}{task.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{LIST}{task.pk}/complete/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.NEW


def test_creating_a_task_about_a_deal_and_bad_input(manager, page_client_for):
    client = page_client_for(manager)
    partner = PartnerFactory(manager=manager)
    bad = client.post(
        LIST + f"new/?subject_type=partner&subject_id={partner.pk}", {"title": "", "due_at": "x"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    assert not Task.objects.exists()
    made = client.post(
        LIST + f"new/?subject_type=partner&subject_id={partner.pk}",
        {"title": "Send price list", "due_at": "2030-01-02T10:00", "priority": "high"},
    )
    assert made.status_code == 302
    task = Task.objects.get()
    assert task.subject == partner and task.assignee == manager and task.priority == "high"
    detail = client.get(f"{LIST}{task.pk}/").content.decode()
    assert f'href="/partners/{partner.pk}/"' in detail


def test_the_last_step_asks_for_the_outcome_and_wins_the_deal_from_the_page(manager, page_client_for):
    kind = DealKindFactory()
    deal = deal_services.deal_create(
        actor=manager, data={"name": "Valves", "partner": PartnerFactory(manager=manager), "kind": kind}
    )
    client = page_client_for(manager)
    for _stage in stages_of(kind)[:-1]:
        step = Task.objects.get(subject_id=deal.pk, status=TaskStatus.NEW)
        client.post(f"{LIST}{step.pk}/complete/")
    last = Task.objects.get(subject_id=deal.pk, status=TaskStatus.NEW)
    quick = client.post(f"{LIST}{last.pk}/complete/")
    assert quick["Location"] == f"{LIST}{last.pk}/"
    assert Task.objects.get(pk=last.pk).status == TaskStatus.NEW
    refused = client.post(f"{LIST}{last.pk}/", {"result": "?", "outcome": "lost"})
    assert refused.status_code == 400 and "lost_reason" in refused.context["form"].errors
    reason = LostReasonFactory()
    assert client.post(f"{LIST}{last.pk}/", {"outcome": "lost", "lost_reason": reason.pk}).status_code == 302
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST


def test_the_navigation_count_is_my_overdue_and_due_today(manager, rf):
    now = timezone.now()
    TaskFactory(assignee=manager, due_at=now - datetime.timedelta(days=2))
    TaskFactory(assignee=manager, due_at=timezone.localtime(now).replace(hour=23, minute=59))
    TaskFactory(assignee=manager, due_at=now + datetime.timedelta(days=3))
    TaskFactory(assignee=manager, due_at=now - datetime.timedelta(days=2), status=TaskStatus.DONE)
    request = rf.get("/")
    request.user = manager
    assert task_counts(request)["urgent_task_count"]() == 2
