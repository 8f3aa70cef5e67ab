"""The typical sale as a business process: each stage is a task; completing it moves the deal on."""

import pytest
from django.core.exceptions import ValidationError

from sdelka.activities.models import Task, TaskStatus
from sdelka.activities.services.tasks import task_cancel, task_complete, task_reopen
from sdelka.deals import services as deal_services
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealKindFactory, LostReasonFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def new_deal(manager, *, process_type=ProcessType.TYPICAL, **data):
    kind = DealKindFactory(process_type=process_type)
    partner = PartnerFactory(manager=manager)
    return deal_services.deal_create(
        actor=manager, data={"name": "Pumps", "partner": partner, "kind": kind, **data}
    )


def open_step(deal) -> Task:
    return Task.objects.get(
        subject_id=deal.pk, process_stage__isnull=False, status__in=["new", "in_progress"]
    )


def test_a_typical_sale_runs_from_the_first_stage_to_won_by_completing_tasks(manager):
    deal = new_deal(manager)
    stages = stages_of(deal.kind)
    for index, stage in enumerate(stages):
        step = open_step(deal)
        assert step.title == f"{stage.name}: Pumps"
        assert step.assignee == manager and step.process_stage == stage and step.subject == deal
        if index < len(stages) - 1:
            task_complete(actor=manager, task=step, result="ok")
            deal.refresh_from_db()
            assert deal.stage == stages[index + 1]
        else:
            task_complete(actor=manager, task=step, result="signed", outcome="won")
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON
    assert Task.objects.filter(subject_id=deal.pk, status=TaskStatus.DONE).count() == len(stages)
    assert not Task.objects.filter(subject_id=deal.pk, status__in=["new", "in_progress"]).exists()


def test_the_step_is_due_on_the_planned_close_date_or_in_three_days(manager):
    import datetime

    from django.utils import timezone

    planned = timezone.localdate() + datetime.timedelta(days=20)
    with_date = new_deal(manager, planned_close_date=planned)
    assert timezone.localtime(open_step(with_date).due_at).date() == planned
    without = new_deal(manager)
    delta = open_step(without).due_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < delta <= datetime.timedelta(days=3)


def test_completing_the_last_step_without_an_outcome_is_refused_and_nothing_changes(manager):
    deal = new_deal(manager)
    for _stage in stages_of(deal.kind)[:-1]:
        task_complete(actor=manager, task=open_step(deal))
    last = open_step(deal)
    deal.refresh_from_db()
    version = deal.version
    with pytest.raises(ValidationError) as error:
        task_complete(actor=manager, task=last, result="done?")
    assert "outcome" in error.value.message_dict
    last.refresh_from_db()
    deal.refresh_from_db()
    assert last.status == TaskStatus.NEW and last.result == ""
    assert deal.status == DealStatus.IN_PROGRESS and deal.version == version


def test_losing_at_the_last_stage_needs_a_reason_and_marks_the_deal_lost(manager):
    deal = new_deal(manager)
    for _stage in stages_of(deal.kind)[:-1]:
        task_complete(actor=manager, task=open_step(deal))
    last = open_step(deal)
    with pytest.raises(ValidationError) as error:
        task_complete(actor=manager, task=last, outcome="lost")
    assert "lost_reason" in error.value.message_dict
    assert Task.objects.get(pk=last.pk).status == TaskStatus.NEW
    reason = LostReasonFactory(name="Price")
    task_complete(actor=manager, task=last, outcome="lost", lost_reason=reason)
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST and deal.lost_reason == reason


def test_an_outcome_before_the_last_stage_is_refused(manager):
    deal = new_deal(manager)
    step = open_step(deal)
    with pytest.raises(ValidationError) as error:
        task_complete(actor=manager, task=step, outcome="won")
    assert "outcome" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.stage == stages_of(deal.kind)[0] and deal.status == DealStatus.IN_PROGRESS


def test_moving_the_deal_by_hand_cancels_the_old_step_and_sets_the_new_one(manager):
    deal = new_deal(manager)
    first = open_step(deal)
    second_stage = stages_of(deal.kind)[1]
    deal_services.deal_move_to_stage(actor=manager, deal=deal, stage=second_stage, version=deal.version)
    first.refresh_from_db()
    assert first.status == TaskStatus.CANCELLED and first.result == "stage changed"
    assert open_step(deal).process_stage == second_stage


@pytest.mark.parametrize("action", ["won", "lost", "closed"])
def test_winning_losing_or_closing_cancels_the_open_step(manager, action):
    deal = new_deal(manager)
    step = open_step(deal)
    if action == "won":
        deal_services.deal_mark_won(actor=manager, deal=deal, version=deal.version)
    elif action == "lost":
        reason = LostReasonFactory()
        deal_services.deal_mark_lost(actor=manager, deal=deal, version=deal.version, lost_reason=reason)
    else:
        deal_services.deal_close(actor=manager, deal=deal, version=deal.version)
    step.refresh_from_db()
    assert step.status == TaskStatus.CANCELLED
    assert step.result == {"won": "deal won", "lost": "deal lost", "closed": "deal closed"}[action]


def test_reopening_the_deal_sets_the_step_of_its_stage_again(manager):
    deal = new_deal(manager)
    deal = deal_services.deal_mark_won(actor=manager, deal=deal, version=deal.version)
    deal_services.deal_reopen(actor=manager, deal=deal, version=deal.version)
    assert open_step(deal).process_stage == stages_of(deal.kind)[0]


def test_manual_stage_deals_get_no_automatic_tasks_and_do_not_move_by_themselves(manager):
    deal = new_deal(manager, process_type=ProcessType.MANUAL)
    assert not Task.objects.filter(subject_id=deal.pk).exists()
    deal_services.deal_move_to_stage(
        actor=manager, deal=deal, stage=stages_of(deal.kind)[2], version=deal.version
    )
    assert not Task.objects.filter(subject_id=deal.pk).exists()


def test_a_stale_deal_version_is_not_a_problem_the_current_one_is_used(manager):
    deal = new_deal(manager)
    deal_services.deal_update(actor=manager, deal=deal, data={"name": "Pumps 2"}, version=deal.version)
    task_complete(actor=manager, task=open_step(deal))
    assert Deal.objects.get(pk=deal.pk).stage == stages_of(deal.kind)[1]


def test_a_done_step_cannot_be_reopened_once_the_deal_moved_on(manager):
    deal = new_deal(manager)
    step = open_step(deal)
    task_complete(actor=manager, task=step)
    with pytest.raises(ValidationError):
        task_reopen(actor=manager, task=step)


def test_a_cancelled_step_of_the_current_stage_can_be_reopened(manager):
    deal = new_deal(manager)
    step = open_step(deal)
    task_cancel(actor=manager, task=step)
    assert not Task.objects.filter(subject_id=deal.pk, status__in=["new", "in_progress"]).exists()
    task_reopen(actor=manager, task=step)
    step.refresh_from_db()
    assert step.status == TaskStatus.IN_PROGRESS and step.completed_at is None


def test_a_new_manager_of_the_deal_gets_its_open_step(manager, teammate, head):
    deal = new_deal(manager)
    step = open_step(deal)
    deal_services.deal_update(actor=head, deal=deal, data={"manager": teammate}, version=deal.version)
    step.refresh_from_db()
    assert step.assignee == teammate and step.status == TaskStatus.NEW


def test_an_unknown_event_is_a_programming_error(manager):
    from sdelka.activities.process import on_deal_changed

    deal = new_deal(manager)
    with pytest.raises(ValueError):
        on_deal_changed(deal, actor=manager, event="renamed")
