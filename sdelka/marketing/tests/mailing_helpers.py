"""A small hand-made mailing for the mailing tests: a segment of partners with contacts, and a template."""

from __future__ import annotations

import itertools
import socket

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from sdelka.interactions.models import EmailTemplate
from sdelka.marketing.mailing_models import Mailing
from sdelka.marketing.mailings import mailing_create
from sdelka.partners.models import Segment, SegmentKind, SegmentMember
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp(settings):
    """A real SMTP server on a free port that Django's e-mail settings point to: (inbox, controller)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "crm@example.com"
    return inbox, controller


def template(**kwargs) -> EmailTemplate:
    values = {
        "name": "Spring offer",
        "subject": "Spring offer for {{ partner.name }}",
        "body": "Dear {{ contact.name }},\nour spring prices are here.\n{{ manager.name }}",
        "language": "en",
    }
    values.update(kwargs)
    return EmailTemplate.objects.create(**values)


_numbers = itertools.count(1)


def segment(partners, name: str = "") -> Segment:
    made = Segment.objects.create(
        name=name or f"Mailing test segment {next(_numbers)}", kind=SegmentKind.MANUAL
    )
    for partner in partners:
        SegmentMember.objects.create(segment=made, partner=partner)
    return made


def partner_with_contacts(*contacts: tuple[str, list[str]], manager=None, name=None):
    """A partner and its contact persons, each given as (name, e-mails)."""
    partner = PartnerFactory(manager=manager, **({"name": name} if name else {}))
    made = [ContactPersonFactory(partner=partner, name=n, emails=emails) for n, emails in contacts]
    return partner, made


def draft(actor, *, partners, **template_kwargs) -> Mailing:
    return mailing_create(
        actor=actor,
        data={"name": "Spring", "email_template": template(**template_kwargs), "segment": segment(partners)},
    )
