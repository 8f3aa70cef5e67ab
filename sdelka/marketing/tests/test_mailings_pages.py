"""Mailing pages: who may do what (403 for a role, 404 for a partner out of scope), the draft's form, the
preview, sending after a confirmation, the progress, the recipients' table (filtered, N+1-free) and cancel."""

import pytest
from django.urls import reverse

from sdelka.marketing.mailing_models import Mailing, MailingRecipient, MailingRecipientStatus, MailingStatus
from sdelka.marketing.mailings import mailing_start
from sdelka.marketing.tests.mailing_helpers import (
    draft,
    partner_with_contacts,
    segment,
    start_smtp,
    template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(marketer, manager, outsider):
    mine, _ = partner_with_contacts(("Ann Smith", ["ann@a.example"]), manager=manager, name="Alpha")
    theirs, _ = partner_with_contacts(("Olga Other", ["olga@o.example"]), manager=outsider, name="Omega")
    return draft(marketer, partners=[mine, theirs])


def test_everyone_reads_the_list_and_the_page(page_client_for, manager, mailing):
    client = page_client_for(manager)
    listing = client.get(reverse("marketing:mailing_list"))
    assert listing.status_code == 200 and "Spring" in listing.content.decode()
    assert "New mailing" not in listing.content.decode()
    page = client.get(reverse("marketing:mailing_detail", args=[mailing.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("Send a test to me") == 0
    assert client.get(reverse("marketing:mailing_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "name, method",
    [
        ("mailing_create", "get"),
        ("mailing_edit", "get"),
        ("mailing_delete", "post"),
        ("mailing_test", "post"),
        ("mailing_send", "get"),
        ("mailing_send", "post"),
        ("mailing_cancel", "post"),
    ],
)
def test_a_manager_may_not_change_mailings(page_client_for, manager, mailing, name, method):
    args = [] if name == "mailing_create" else [mailing.pk]
    response = getattr(page_client_for(manager), method)(reverse(f"marketing:{name}", args=args))
    assert response.status_code == 403
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_a_marketer_creates_a_draft_and_bad_input_is_shown_with_nothing_stored(page_client_for, marketer):
    client = page_client_for(marketer)
    good, bad = template(), template(name="Deal letter", body="Deal {{ deal.number }}")
    target = segment([])
    url = reverse("marketing:mailing_create")
    response = client.post(url, {"name": "Letter", "email_template": bad.pk, "segment": target.pk})
    assert response.status_code == 200 and "has no deal" in response.content.decode()
    response = client.post(url, {"name": "", "email_template": good.pk, "segment": target.pk})
    assert response.status_code == 200 and not Mailing.objects.exists()
    response = client.post(url, {"name": "Letter", "email_template": good.pk, "segment": target.pk})
    created = Mailing.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/mailings/{created.pk}/")
    response = client.post(
        reverse("marketing:mailing_edit", args=[created.pk]),
        {"name": "Renamed", "email_template": good.pk, "segment": target.pk},
    )
    assert response.status_code == 302 and Mailing.objects.get().name == "Renamed"


def test_the_preview_shows_the_letter_of_a_chosen_recipient_the_user_sees(
    page_client_for, manager, marketer, mailing
):
    ann = mailing.segment.members.get(name="Alpha").contacts.get()
    olga = mailing.segment.members.get(name="Omega").contacts.get()
    url = reverse("marketing:mailing_preview", args=[mailing.pk])
    response = page_client_for(marketer).get(url, {"contact": olga.pk}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Spring offer for Omega" in content and "Dear Olga Other," in content
    assert "<html" not in content  # an htmx fragment
    manager_client = page_client_for(manager)
    response = manager_client.get(url, {"contact": ann.pk})
    assert "Spring offer for Alpha" in response.content.decode()
    assert manager_client.get(url, {"contact": olga.pk}).status_code == 404  # not their partner
    assert "Omega" not in manager_client.get(url).content.decode()


def test_sending_asks_for_a_confirmation_then_starts_the_mailing(
    page_client_for, marketer, mailing, django_capture_on_commit_callbacks
):
    client = page_client_for(marketer)
    url = reverse("marketing:mailing_send", args=[mailing.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "goes to 2 addresses" in confirm.content.decode()
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    assert response.status_code == 302 and len(callbacks) == 1
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING and mailing.recipients.count() == 2
    progress = client.get(reverse("marketing:mailing_progress", args=[mailing.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in progress.content.decode()
    cancel = client.post(reverse("marketing:mailing_cancel", args=[mailing.pk]))
    assert cancel.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.CANCELLED
    progress = client.get(reverse("marketing:mailing_progress", args=[mailing.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" not in progress.content.decode()


def test_the_test_letter_is_sent_to_the_marketer(page_client_for, marketer, mailing, settings):
    inbox, controller = start_smtp(settings)
    try:
        marketer.email = "me@crm.example"
        marketer.save()
        response = page_client_for(marketer).post(reverse("marketing:mailing_test", args=[mailing.pk]))
    finally:
        controller.stop()
    assert response.status_code == 302
    [message] = inbox.messages
    assert message["X-RcptTo"] == "me@crm.example"


def test_the_recipients_table_is_filtered_by_status_scoped_and_n_plus_one_free(
    page_client_for, manager, marketer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    partners = []
    for number in range(12):
        partner, _ = partner_with_contacts(
            (f"Person {number}", [f"p{number}@x.example"]), manager=manager, name=f"Client {number:02d}"
        )
        partners.append(partner)
    hidden, _ = partner_with_contacts(("Hidden", ["hidden@x.example"]), name="Hidden", manager=marketer)
    mailing = draft(marketer, partners=[*partners, hidden])
    with django_capture_on_commit_callbacks(execute=False):
        mailing_start(actor=marketer, mailing=mailing)
    MailingRecipient.objects.filter(email="p0@x.example").update(
        status=MailingRecipientStatus.FAILED, error="SMTPRecipientsRefused: no such user"
    )
    client = page_client_for(manager)
    url = reverse("marketing:mailing_recipients", args=[mailing.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    content = response.content.decode()
    assert content.count("@x.example") == 12 and "hidden@x.example" not in content
    failed = client.get(url, {"status": "failed"}).content.decode()
    assert "p0@x.example" in failed and "p1@x.example" not in failed and "no such user" in failed
    with django_assert_max_num_queries(25):
        page = client.get(reverse("marketing:mailing_detail", args=[mailing.pk]))
    assert page.status_code == 200


def test_the_list_is_n_plus_one_free(page_client_for, marketer, django_assert_max_num_queries):
    for number in range(5):
        draft(marketer, partners=[], name=f"Template {number}")
    client = page_client_for(marketer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("marketing:mailing_list"))
    assert response.content.decode().count("/marketing/mailings/") >= 5


def test_a_finished_mailing_links_each_letter_and_shows_the_results(
    page_client_for, marketer, mailing, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = page_client_for(marketer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("marketing:mailing_send", args=[mailing.pk]))
    assert len(mailoutbox) == 2
    content = client.get(reverse("marketing:mailing_detail", args=[mailing.pk])).content.decode()
    assert 'data-testid="sent-count">2<' in content and "every 2s" not in content
    for row in MailingRecipient.objects.filter(mailing=mailing):
        assert reverse("interactions:interaction_detail", args=[row.interaction_id]) in content
    progress = client.get(reverse("marketing:mailing_progress", args=[mailing.pk]), HTTP_HX_REQUEST="true")
    assert "Show every recipient" in progress.content.decode()
