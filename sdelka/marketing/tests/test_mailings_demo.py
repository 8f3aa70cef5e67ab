"""The demo's finished mailing, on a small hand-made set of clients: recorded as sent, nothing sent."""

import random
from datetime import date, datetime, time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sdelka.core.demo.mailings import SEGMENT_NAME, create_demo_mailing
from sdelka.interactions.choices import Direction, EmailStatus
from sdelka.interactions.models import Interaction
from sdelka.interactions.optouts import email_opt_out
from sdelka.marketing.mailing_models import Mailing, MailingRecipientStatus, MailingStatus
from sdelka.marketing.tests.mailing_helpers import partner_with_contacts

pytestmark = pytest.mark.django_db


def test_the_demo_mailing_is_finished_and_recorded_without_sending(marketer, manager, mailoutbox):
    partner_with_contacts(("Ann", ["ann@a.example"]), ("Bob", ["bob@a.example"]), manager=manager)
    partner_with_contacts(("Carl", ["carl@b.example"]), ("Carl's colleague", []))
    partner_with_contacts(("Nobody", []))
    email_opt_out(email="carl@b.example")

    assert create_demo_mailing(rng=random.Random(7), today=date(2026, 3, 20)) == 2

    mailing = Mailing.objects.get()
    assert (
        mailing.segment.name == SEGMENT_NAME and mailing.segment.members.count() == 2
    )  # those with an address
    assert mailing.status == MailingStatus.DONE and mailing.created_by == marketer
    assert (mailing.total_count, mailing.sent_count, mailing.skipped_count) == (3, 2, 1)
    sent_on = timezone.make_aware(datetime.combine(date(2026, 3, 6), time(10, 0)))
    assert mailing.started_at == sent_on and mailing.finished_at > sent_on
    rows = {row.email: row for row in mailing.recipients.select_related("interaction")}
    assert rows["carl@b.example"].status == MailingRecipientStatus.SKIPPED_UNSUBSCRIBED
    for address in ("ann@a.example", "bob@a.example"):
        letter = rows[address].interaction
        assert rows[address].status == MailingRecipientStatus.SENT
        assert letter.direction == Direction.OUTGOING and letter.email_status == EmailStatus.SENT
        assert letter.email_to == [address] and letter.responsible == manager
        assert letter.email_sent_at.date() == date(2026, 3, 6) and letter.unsubscribe_url
    assert Interaction.objects.count() == 2
    assert mailoutbox == [] and not DBTaskResult.objects.exists()  # nothing was sent or queued


def test_without_clients_to_write_to_there_is_no_demo_mailing(marketer):
    partner_with_contacts(("Nobody", []))
    assert create_demo_mailing(rng=random.Random(7), today=date(2026, 3, 20)) == 0
    assert not Mailing.objects.exists()
