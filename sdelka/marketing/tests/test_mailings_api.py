"""The mailings API: drafts CRUD, preview, test letter, send, cancel and the recipients' results."""

import pytest

from sdelka.marketing.mailing_models import Mailing, MailingRecipientStatus, MailingStatus
from sdelka.marketing.tests.mailing_helpers import draft, partner_with_contacts, segment, start_smtp, template

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def mailing(marketer, manager, outsider):
    mine, _ = partner_with_contacts(("Ann Smith", ["ann@a.example"]), manager=manager, name="Alpha")
    theirs, _ = partner_with_contacts(("Olga Other", ["olga@o.example"]), manager=outsider, name="Omega")
    return draft(marketer, partners=[mine, theirs])


def test_drafts_crud_and_bad_input_is_refused_with_nothing_stored(api_client_for, marketer):
    client = api_client_for(marketer)
    good, target = template(), segment([])
    bad = template(name="Deal letter", body="{{ deal.name }}")
    refused = client.post(
        f"{API}/mailings/", {"name": "X", "email_template": bad.pk, "segment": target.pk}, format="json"
    )
    assert refused.status_code == 400 and "email_template" in refused.json()
    missing = client.post(f"{API}/mailings/", {"name": "X", "email_template": 999999}, format="json")
    assert missing.status_code == 400 and not Mailing.objects.exists()
    created = client.post(
        f"{API}/mailings/", {"name": "News", "email_template": good.pk, "segment": target.pk}, format="json"
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    url = f"{API}/mailings/{created.json()['id']}/"
    assert client.patch(url, {"name": "Renamed"}, format="json").json()["name"] == "Renamed"
    assert client.patch(url, {"status": "done"}, format="json").json()["status"] == "draft"  # read-only
    assert client.delete(url).status_code == 204


def test_a_manager_reads_but_may_not_change_or_send(api_client_for, manager, mailing):
    client = api_client_for(manager)
    assert client.get(f"{API}/mailings/").json()["results"][0]["id"] == mailing.pk
    base = f"{API}/mailings/{mailing.pk}"
    assert client.patch(f"{base}/", {"name": "X"}, format="json").status_code == 403
    for name in ("send", "cancel", "test"):
        assert client.post(f"{base}/{name}/", {}, format="json").status_code == 403
    assert client.post(f"{base}/preview/", {}, format="json").status_code == 200
    assert client.get(f"{API}/mailings/999999/").status_code == 404
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_preview_of_a_chosen_recipient_and_one_out_of_scope(api_client_for, manager, marketer, mailing):
    olga = mailing.segment.members.get(name="Omega").contacts.get()
    preview = api_client_for(marketer).post(
        f"{API}/mailings/{mailing.pk}/preview/", {"contact": olga.pk}, format="json"
    )
    assert preview.status_code == 200
    assert (
        preview.json()["subject"] == "Spring offer for Omega" and preview.json()["email"] == "olga@o.example"
    )
    foreign = api_client_for(manager).post(
        f"{API}/mailings/{mailing.pk}/preview/", {"contact": olga.pk}, format="json"
    )
    assert foreign.status_code == 400 and "contact" in foreign.json()
    assert (
        api_client_for(manager)
        .post(f"{API}/mailings/{mailing.pk}/preview/", {}, format="json")
        .json()["email"]
        == "ann@a.example"
    )


def test_send_cancel_and_the_recipients(
    api_client_for, manager, marketer, mailing, django_capture_on_commit_callbacks
):
    client = api_client_for(marketer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = client.post(f"{API}/mailings/{mailing.pk}/send/", format="json")
    assert sent.status_code == 200 and len(callbacks) == 1
    assert sent.json()["status"] == "sending" and sent.json()["total_count"] == 2
    assert client.post(f"{API}/mailings/{mailing.pk}/send/", format="json").status_code == 400
    assert client.patch(f"{API}/mailings/{mailing.pk}/", {"name": "X"}, format="json").status_code == 400
    cancelled = client.post(f"{API}/mailings/{mailing.pk}/cancel/", format="json")
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["skipped_count"] == 2
    rows = client.get(f"{API}/mailings/{mailing.pk}/recipients/").json()["results"]
    assert {row["status"] for row in rows} == {MailingRecipientStatus.CANCELLED}
    assert len(rows) == 2
    mine = api_client_for(manager).get(f"{API}/mailings/{mailing.pk}/recipients/").json()["results"]
    assert [row["email"] for row in mine] == ["ann@a.example"]
    filtered = client.get(f"{API}/mailings/{mailing.pk}/recipients/", {"status": "sent"}).json()
    assert filtered["results"] == []
    assert client.get(f"{API}/mailings/{mailing.pk}/recipients/", {"status": "nope"}).status_code == 400


def test_a_test_letter_goes_to_the_caller(api_client_for, marketer, mailing, settings):
    marketer.email = ""
    marketer.save()
    client = api_client_for(marketer)
    no_address = client.post(f"{API}/mailings/{mailing.pk}/test/", {}, format="json")
    assert no_address.status_code == 400 and "no e-mail address" in str(no_address.json())
    marketer.email = "me@crm.example"
    marketer.save()
    inbox, controller = start_smtp(settings)
    try:
        response = client.post(f"{API}/mailings/{mailing.pk}/test/", {}, format="json")
    finally:
        controller.stop()
    assert response.json() == {"email": "me@crm.example"}
    assert [message["X-RcptTo"] for message in inbox.messages] == ["me@crm.example"]
