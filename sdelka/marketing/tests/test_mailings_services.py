"""Mailing drafts, the recipients' snapshot, the preview and cancelling (no letter leaves here)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.interactions.optouts import email_opt_out
from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingRecipientStatus, MailingStatus
from sdelka.marketing.mailings import (
    mailing_cancel,
    mailing_create,
    mailing_delete,
    mailing_preview,
    mailing_start,
    mailing_update,
)
from sdelka.marketing.tests.mailing_helpers import draft, partner_with_contacts, segment, template

pytestmark = pytest.mark.django_db


def test_a_marketer_creates_a_draft_and_a_manager_may_not(marketer, manager):
    partner, _ = partner_with_contacts(("Ann", ["ann@a.example"]))
    mailing = draft(marketer, partners=[partner])
    assert mailing.status == MailingStatus.DRAFT and mailing.created_by == marketer
    with pytest.raises(PermissionDenied):
        mailing_create(
            actor=manager,
            data={"name": "X", "email_template": mailing.email_template, "segment": mailing.segment},
        )


def test_a_template_with_deal_placeholders_is_refused_and_nothing_is_stored(marketer):
    with pytest.raises(ValidationError) as error:
        mailing_create(
            actor=marketer,
            data={
                "name": "Bad",
                "email_template": template(body="Your deal {{ deal.number }}"),
                "segment": segment([]),
            },
        )
    assert "deal" in error.value.message_dict["email_template"][0]
    assert not Mailing.objects.exists()


def test_an_inactive_template_is_refused(marketer):
    with pytest.raises(ValidationError) as error:
        mailing_create(
            actor=marketer,
            data={"name": "Old", "email_template": template(is_active=False), "segment": segment([])},
        )
    assert "email_template" in error.value.message_dict


def test_the_snapshot_has_one_row_per_distinct_first_address_and_skips_the_unsubscribed(
    marketer, django_capture_on_commit_callbacks
):
    first, (ann, bob, _nobody) = partner_with_contacts(
        ("Ann", ["ann@a.example", "ann.private@a.example"]),
        ("Bob", ["BOB@a.example"]),
        ("Nobody", []),
        name="Alpha",
    )
    second, (_bob_again, _carl) = partner_with_contacts(
        ("Bob again", ["bob@a.example"]), ("Carl", ["carl@b.example"]), name="Beta"
    )
    email_opt_out(email="Carl@B.example")
    mailing = draft(marketer, partners=[first, second])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = mailing_start(actor=marketer, mailing=mailing)
    assert len(callbacks) == 1  # the worker's task is queued on commit
    rows = {row.email: row for row in MailingRecipient.objects.filter(mailing=mailing)}
    assert set(rows) == {"ann@a.example", "BOB@a.example", "carl@b.example"}
    assert rows["ann@a.example"].contact == ann and rows["BOB@a.example"].contact == bob
    assert rows["carl@b.example"].status == MailingRecipientStatus.SKIPPED_UNSUBSCRIBED
    assert rows["ann@a.example"].status == MailingRecipientStatus.PENDING
    assert started.status == MailingStatus.SENDING and started.started_at is not None
    assert (started.total_count, started.skipped_count, started.sent_count) == (3, 1, 0)


def test_a_segment_without_addresses_cannot_be_started(marketer):
    partner, _ = partner_with_contacts(("Nobody", []))
    mailing = draft(marketer, partners=[partner])
    with pytest.raises(ValidationError):
        mailing_start(actor=marketer, mailing=mailing)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT and not mailing.recipients.exists()


def test_only_a_draft_changes_starts_or_is_deleted(marketer, django_capture_on_commit_callbacks):
    partner, _ = partner_with_contacts(("Ann", ["ann@a.example"]))
    mailing = draft(marketer, partners=[partner])
    mailing_update(actor=marketer, mailing=mailing, data={"name": "Renamed"})
    assert Mailing.objects.get().name == "Renamed"
    mailing_start(actor=marketer, mailing=mailing)
    mailing.refresh_from_db()
    for action in (
        lambda: mailing_update(actor=marketer, mailing=mailing, data={"name": "Again"}),
        lambda: mailing_start(actor=marketer, mailing=mailing),
        lambda: mailing_delete(actor=marketer, mailing=mailing),
    ):
        with pytest.raises(ValidationError):
            action()
    assert Mailing.objects.get().name == "Renamed"


def test_the_preview_fills_the_template_for_the_chosen_recipient(marketer, manager):
    partner, (ann, bob) = partner_with_contacts(
        ("Ann Smith", ["ann@a.example"]), ("Bob Brown", ["bob@a.example"]), manager=manager, name="Alpha"
    )
    mailing = draft(marketer, partners=[partner])
    preview = mailing_preview(mailing=mailing, contact=bob)
    assert preview.email == "bob@a.example"
    assert preview.subject == "Spring offer for Alpha"
    assert "Dear Bob Brown," in preview.body and str(manager) in preview.body
    assert "/unsubscribe/" in preview.body  # the link is added at the end
    assert mailing_preview(mailing=mailing).contact == ann
    _stranger, (other,) = partner_with_contacts(("Zed", ["z@z.example"]))
    with pytest.raises(ValidationError):
        mailing_preview(mailing=mailing, contact=other)


def test_cancelling_stops_the_letters_not_yet_sent(marketer, django_capture_on_commit_callbacks):
    partner, _ = partner_with_contacts(("Ann", ["ann@a.example"]), ("Bob", ["bob@a.example"]))
    mailing = mailing_start(actor=marketer, mailing=draft(marketer, partners=[partner]))
    cancelled = mailing_cancel(actor=marketer, mailing=mailing)
    assert cancelled.status == MailingStatus.CANCELLED and cancelled.finished_at
    assert set(mailing.recipients.values_list("status", flat=True)) == {MailingRecipientStatus.CANCELLED}
    assert cancelled.skipped_count == 2
    with pytest.raises(ValidationError):
        mailing_cancel(actor=marketer, mailing=mailing)
