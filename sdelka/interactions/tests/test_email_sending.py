"""An e-mail written on a deal's page goes out through a real SMTP server; a refused one can be retried."""

import email
import socket
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.urls import reverse

from sdelka.documents.models import Quote
from sdelka.documents.services import document_create
from sdelka.documents.tests.factories import deal_with_goods
from sdelka.interactions.choices import EmailStatus
from sdelka.interactions.models import Interaction
from sdelka.partners.tests.factories import ContactPersonFactory


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


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def smtp_server(settings, immediate_tasks):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "crm@example.com"
    yield inbox
    controller.stop()


def _deal_with_quote(manager):
    deal = deal_with_goods(manager=manager)
    contact = ContactPersonFactory(partner=deal.partner, emails=["buyer@client.example"])
    deal.contacts.set([contact])
    quote = document_create(
        Quote,
        actor=None,
        data={"partner": deal.partner, "deal": deal, "manager": manager},
        lines=[
            {"product": deal.products.first().product, "quantity": Decimal("1"), "price": Decimal("10.00")}
        ],
    )
    return deal, contact, quote


def test_it_sends_the_letter_with_the_quote_through_smtp(
    manager, page_client_for, smtp_server, django_capture_on_commit_callbacks
):
    deal, contact, quote = _deal_with_quote(manager)
    client = page_client_for(manager)
    url = reverse("interactions:email_from_deal", args=[deal.pk])
    assert "buyer@client.example" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "recipients": [f"{contact.pk}|buyer@client.example"],
                "other_addresses": "boss@client.example",
                "topic": "Our proposal",
                "text": "Please find our proposal attached.",
                "attached_quote": quote.pk,
                "attachment_language": "en",
            },
        )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.email_status == EmailStatus.SENT
    assert interaction.deal == deal and list(interaction.contacts.all()) == [contact]
    [received] = smtp_server.messages
    assert received["X-RcptTo"] == "buyer@client.example, boss@client.example"
    assert received["Subject"] == "Our proposal"
    parsed = email.message_from_string(received.as_string())
    parts = list(parsed.walk())
    body = next(part for part in parts if part.get_content_type() == "text/plain")
    assert "Please find our proposal attached." in body.get_payload(decode=True).decode()
    pdf = next(part for part in parts if part.get_content_type() == "application/pdf")
    assert pdf.get_filename() == f"quote-{quote.number}.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")


def test_a_refused_send_is_failed_with_the_reason_and_can_be_retried(
    manager, page_client_for, settings, immediate_tasks, smtp_server, django_capture_on_commit_callbacks
):
    deal, _contact, _quote = _deal_with_quote(manager)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    client = page_client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("interactions:email_from_deal", args=[deal.pk]),
            {
                "other_addresses": "buyer@client.example",
                "topic": "Hello",
                "text": "Text",
                "attachment_language": "en",
            },
        )
    interaction = Interaction.objects.get()
    assert interaction.email_status == EmailStatus.FAILED
    assert "Connection" in interaction.email_error or "refused" in interaction.email_error.lower()
    page = client.get(reverse("interactions:interaction_detail", args=[interaction.pk])).content.decode()
    assert "Failed" in page and "Retry" in page
    settings.EMAIL_PORT = working_port
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("interactions:interaction_send", args=[interaction.pk]))
    interaction.refresh_from_db()
    assert interaction.email_status == EmailStatus.SENT and interaction.email_error == ""
    assert [message["Subject"] for message in smtp_server.messages] == ["Hello"]


def test_a_sent_email_is_not_sent_again(
    manager, api_client_for, smtp_server, django_capture_on_commit_callbacks
):
    deal, _contact, _quote = _deal_with_quote(manager)
    api = api_client_for(manager)
    created = api.post(
        "/api/v1/interactions/",
        {
            "kind": "email",
            "direction": "outgoing",
            "topic": "Draft",
            "subject_type": "deal",
            "subject_id": deal.pk,
            "email_to": ["a@client.example"],
        },
        format="json",
    ).json()
    assert created["email_status"] == "draft" and created["partner"] == deal.partner_id
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"/api/v1/interactions/{created['id']}/send/")
    assert sent.json()["email_status"] in ("queued", "sent")
    assert Interaction.objects.get().email_status == "sent"
    again = api.post(f"/api/v1/interactions/{created['id']}/send/")
    assert again.status_code == 400
    assert len(smtp_server.messages) == 1


def test_the_email_form_refuses_bad_addresses_and_stores_nothing(manager, page_client_for):
    deal, _contact, _quote = _deal_with_quote(manager)
    response = page_client_for(manager).post(
        reverse("interactions:email_from_deal", args=[deal.pk]),
        {"other_addresses": "not-an-address", "topic": "x", "text": "y", "attachment_language": "en"},
    )
    assert response.status_code == 200
    assert "is not an e-mail address" in response.content.decode()
    assert not Interaction.objects.exists()
