"""Sending a mailing through a real SMTP server, in batches that survive a worker stopping mid-way."""

import datetime
import email

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind
from sdelka.interactions.models import Interaction
from sdelka.marketing import mailings
from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingRecipientStatus, MailingStatus
from sdelka.marketing.mailings import (
    mailing_run,
    mailing_send_batch,
    mailing_start,
    mailing_test_send,
    mailings_resume,
)
from sdelka.marketing.tests.mailing_helpers import draft, free_port, partner_with_contacts, start_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def smtp_server(settings, immediate_tasks):
    inbox, controller = start_smtp(settings)
    yield inbox
    controller.stop()


def _body(message) -> str:
    parsed = email.message_from_string(message.as_string())
    return parsed.get_payload(decode=True).decode()


def _three_recipients(marketer, manager):
    alpha, (ann, bob) = partner_with_contacts(
        ("Ann", ["ann@a.example"]), ("Bob", ["bob@a.example"]), manager=manager, name="Alpha"
    )
    beta, (carl,) = partner_with_contacts(("Carl", ["carl@b.example"]), name="Beta")
    return draft(marketer, partners=[alpha, beta]), {"ann": ann, "bob": bob, "carl": carl}


def test_the_worker_sends_every_letter_and_records_it_as_an_outgoing_email(
    marketer, manager, smtp_server, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    with django_capture_on_commit_callbacks(execute=True):
        mailing_start(actor=marketer, mailing=mailing)  # the immediate backend runs the task on commit
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DONE and mailing.finished_at
    assert (mailing.total_count, mailing.sent_count, mailing.failed_count) == (3, 3, 0)
    received = {message["X-RcptTo"]: message for message in smtp_server.messages}
    assert set(received) == {"ann@a.example", "bob@a.example", "carl@b.example"}
    assert received["ann@a.example"]["Subject"] == "Spring offer for Alpha"
    assert "Dear Ann," in _body(received["ann@a.example"]) and str(manager) in _body(
        received["ann@a.example"]
    )
    assert received["carl@b.example"]["Subject"] == "Spring offer for Beta"
    assert "/unsubscribe/" in received["carl@b.example"]["List-Unsubscribe"]
    for row in MailingRecipient.objects.filter(mailing=mailing).select_related("interaction"):
        letter = row.interaction
        assert row.status == MailingRecipientStatus.SENT and row.sent_at
        assert (letter.kind, letter.direction, letter.email_status) == (
            InteractionKind.EMAIL,
            Direction.OUTGOING,
            EmailStatus.SENT,
        )
        assert letter.email_to == [row.email] and list(letter.contacts.all()) == [row.contact]
        assert letter.partner == row.partner and letter.unsubscribe_url
    # the partner's manager answers for Alpha's letters; Beta has no manager: the mailing's author does
    assert Interaction.objects.get(email_to=["ann@a.example"]).responsible == manager
    assert Interaction.objects.get(email_to=["carl@b.example"]).responsible == marketer


def test_a_refused_letter_is_failed_with_the_reason(
    marketer, manager, settings, smtp_server, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        mailing_start(actor=marketer, mailing=mailing)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DONE and mailing.failed_count == 3
    row = MailingRecipient.objects.filter(mailing=mailing).first()
    assert row.status == MailingRecipientStatus.FAILED and "ConnectionRefusedError" in row.error
    assert row.interaction.email_status == EmailStatus.FAILED
    assert not smtp_server.messages


def test_a_worker_stopped_mid_batch_never_sends_a_letter_twice(
    marketer, manager, smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    with django_capture_on_commit_callbacks(execute=False):  # the worker is not running yet
        mailing_start(actor=marketer, mailing=mailing)
    real_send_one = mailings._send_one
    calls = []

    def dies_on_the_second_letter(mailing, row):
        calls.append(row.email)
        if len(calls) == 2:
            raise SystemExit("the worker was stopped")
        real_send_one(mailing, row)

    monkeypatch.setattr(mailings, "_send_one", dies_on_the_second_letter)
    with pytest.raises(SystemExit):
        mailing_send_batch(mailing, size=2)
    monkeypatch.setattr(mailings, "_send_one", real_send_one)
    statuses = dict(MailingRecipient.objects.filter(mailing=mailing).values_list("email", "status"))
    assert sorted(statuses.values()) == ["pending", "sending", "sent"]
    stuck = next(address for address, status in statuses.items() if status == "sending")
    assert len(smtp_server.messages) == 1

    # the worker restarts: the row it was sending becomes unknown, only the pending one is sent
    assert mailing_run(mailing_id=mailing.pk) == MailingStatus.DONE
    stuck_row = MailingRecipient.objects.get(mailing=mailing, email=stuck)
    assert stuck_row.status == MailingRecipientStatus.UNKNOWN and "not sent again" in stuck_row.error
    delivered = [message["X-RcptTo"] for message in smtp_server.messages]
    assert len(delivered) == 2 and stuck not in delivered and len(set(delivered)) == 2
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.failed_count) == (2, 1)

    # running again sends nothing more
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING)
    mailing_run(mailing_id=mailing.pk)
    assert len(smtp_server.messages) == 2


def test_a_batch_sends_at_most_its_size_and_a_cancelled_mailing_sends_no_more(
    marketer, manager, smtp_server, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    with django_capture_on_commit_callbacks(execute=False):
        mailing_start(actor=marketer, mailing=mailing)
    assert mailing_send_batch(mailing, size=1) == 1
    assert len(smtp_server.messages) == 1
    mailings.mailing_cancel(actor=marketer, mailing=mailing)
    assert mailing_send_batch(mailing, size=10) == 0
    assert mailing_run(mailing_id=mailing.pk) == MailingStatus.CANCELLED
    assert len(smtp_server.messages) == 1
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.skipped_count) == (1, 2)


def test_a_stale_sending_mailing_is_handed_to_the_worker_again(
    marketer, manager, smtp_server, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    with django_capture_on_commit_callbacks(execute=False):
        mailing_start(actor=marketer, mailing=mailing)
    now = timezone.now()
    assert mailings_resume(now=now) == 0  # just started: its worker is busy with it
    assert mailings_resume(now=now + datetime.timedelta(minutes=11)) == 1
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DONE and len(smtp_server.messages) == 3


def test_a_test_letter_goes_to_the_user_only_and_is_not_recorded(marketer, manager, smtp_server):
    mailing, contacts = _three_recipients(marketer, manager)
    marketer.email = "marketer@crm.example"
    marketer.save()
    assert mailing_test_send(actor=marketer, mailing=mailing, contact=contacts["bob"]) == marketer.email
    [message] = smtp_server.messages
    assert message["X-RcptTo"] == "marketer@crm.example"
    assert message["Subject"] == "[Test] Spring offer for Alpha"
    assert "Dear Bob," in _body(message)
    assert not Interaction.objects.exists() and not MailingRecipient.objects.exists()
    marketer.email = ""
    with pytest.raises(ValidationError):
        mailing_test_send(actor=marketer, mailing=mailing)


def test_the_worker_resumes_stale_mailings_every_five_minutes():
    from sdelka.core.worker import periodic_jobs

    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["resume mailings"].interval == datetime.timedelta(minutes=5)


def test_a_row_claimed_by_another_run_is_not_taken_again(
    marketer, manager, smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    mailing, _contacts = _three_recipients(marketer, manager)
    with django_capture_on_commit_callbacks(execute=False):
        mailing_start(actor=marketer, mailing=mailing)
    first = MailingRecipient.objects.filter(mailing=mailing).order_by("id").first()
    real_update = mailings.MailingRecipient.objects.filter

    # another worker claims the first row between this run's read and its update
    def filter_after_the_other_worker(*args, **kwargs):
        if kwargs.get("pk") == first.pk and kwargs.get("status") == MailingRecipientStatus.PENDING:
            MailingRecipient.objects.filter(pk=first.pk).update(status=MailingRecipientStatus.SENDING)
        return real_update(*args, **kwargs)

    monkeypatch.setattr(mailings.MailingRecipient.objects, "filter", filter_after_the_other_worker)
    claimed = mailings._claim(mailing, 10)
    assert first.pk not in [row.pk for row in claimed] and len(claimed) == 2
