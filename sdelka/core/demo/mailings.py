"""The demo's mass mailing: a spring price letter sent two weeks before "today" to a small hand-kept segment
of clients, finished, with every recipient's row and the letter recorded as a sent outgoing e-mail of the
partner — made without sending anything (the letters are recorded as already sent, on their date).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.interactions.choices import Direction, EmailStatus, InteractionKind
from sdelka.interactions.email_templates import email_template_create
from sdelka.interactions.models import Interaction
from sdelka.interactions.optouts import opted_out
from sdelka.interactions.services import interaction_create
from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingRecipientStatus, MailingStatus
from sdelka.marketing.mailings import mailing_create, mailing_letter, mailing_recount, segment_contacts
from sdelka.partners.models import ContactPerson, Partner, Segment, SegmentKind, SegmentMember

SEGMENT_NAME = "Демо-рассылка: клиенты с e-mail"
SEGMENT_SIZE = 20
SENT_DAYS_AGO = 14
TEMPLATE = {
    "name": "Весенние цены (рассылка)",
    "subject": "{{ partner.name }}: весенние цены {{ company.name }}",
    "body": (
        "Здравствуйте, {{ contact.name }}!\n\n"
        "С 1 апреля действуют новые цены на насосное оборудование и запчасти. "
        "Для постоянных клиентов — скидка 5% на заказы до конца месяца.\n\n"
        "Ваш менеджер: {{ manager.name }}, {{ manager.phone }}, {{ manager.email }}.\n"
        "{{ company.name }}"
    ),
}


def _author() -> User | None:
    for role in (Role.MARKETER, Role.ADMIN):
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if user is not None:
            return user
    return None


@transaction.atomic
def create_demo_mailing(*, rng: random.Random, today: date) -> int:
    """The finished mailing; how many letters it recorded as sent (0 when there is nobody to write to)."""
    author = _author()
    with_address = ContactPerson.objects.filter(partner=OuterRef("pk")).exclude(emails=[])
    clients = list(Partner.objects.filter(Exists(with_address), is_client=True).order_by("pk"))
    if author is None or not clients:
        return 0
    segment = Segment.objects.create(
        name=SEGMENT_NAME,
        kind=SegmentKind.MANUAL,
        description="Клиенты, которым ушла весенняя рассылка.",
        created_by=author,
    )
    members = rng.sample(clients, min(SEGMENT_SIZE, len(clients)))
    SegmentMember.objects.bulk_create(SegmentMember(segment=segment, partner=partner) for partner in members)
    Segment.objects.filter(pk=segment.pk).update(member_count=len(members), evaluated_at=timezone.now())
    template = email_template_create(actor=author, data={**TEMPLATE, "language": "ru"})
    mailing = mailing_create(
        actor=author, data={"name": "Весенние цены", "email_template": template, "segment": segment}
    )
    started = timezone.make_aware(datetime.combine(today - timedelta(days=SENT_DAYS_AGO), time(10, 0)))
    candidates = segment_contacts(segment)
    unsubscribed = opted_out(candidate.email for candidate in candidates)
    sent = 0
    for number, candidate in enumerate(candidates):
        row = MailingRecipient(
            mailing=mailing, partner=candidate.partner, contact=candidate.contact, email=candidate.email
        )
        if candidate.email.lower() in unsubscribed:
            row.status = MailingRecipientStatus.SKIPPED_UNSUBSCRIBED
            row.save()
            continue
        subject, body, link, manager = mailing_letter(
            mailing, partner=candidate.partner, contact=candidate.contact, email=candidate.email
        )
        at = started + timedelta(seconds=2 * number)
        interaction = interaction_create(
            actor=None,
            data={
                "kind": InteractionKind.EMAIL,
                "direction": Direction.OUTGOING,
                "starts_at": at,
                "partner": candidate.partner,
                "contacts": [candidate.contact],
                "responsible": manager,
                "topic": subject[:255],
                "text": body,
                "email_to": [candidate.email],
                "email_from": manager.email or "crm@example.com",
                "email_status": EmailStatus.SENT,
                "reviewed": True,
            },
        )
        Interaction.objects.filter(pk=interaction.pk).update(
            unsubscribe_url=link, email_sent_at=at, created_at=at
        )
        row.status, row.sent_at, row.interaction = MailingRecipientStatus.SENT, at, interaction
        row.save()
        sent += 1
    finished = started + timedelta(seconds=2 * len(candidates) + 5)
    Mailing.objects.filter(pk=mailing.pk).update(
        status=MailingStatus.DONE,
        started_at=started,
        finished_at=finished,
        created_at=started - timedelta(days=1),
    )
    mailing_recount(mailing.pk)
    return sent
