"""The public form page ``/lead/<token>/``: no login, embeddable, UTM tags from the link, a honeypot and a
rate limit per client address counted from the stored log, and bad input shown on the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sdelka.deals.models import Deal
from sdelka.marketing.tests.factories import channel_of
from sdelka.marketing.tests.weblead_factories import LeadFormFactory, UtmMappingFactory
from sdelka.marketing.views.weblead import RATE_LIMIT
from sdelka.marketing.weblead_forms import form_token
from sdelka.marketing.weblead_models import LeadOutcome, LeadSubmission
from sdelka.partners.models import ContactPerson, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_form(manager):
    return LeadFormFactory(manager=manager, name="Site form", thank_you_text="We will call you back today.")


def url(lead_form) -> str:
    return f"/lead/{lead_form.token}/"


def post_data(lead_form, **changes) -> dict:
    data = {
        "name": "Ivan Petrov",
        "company": "Stroy LLC",
        "phone": "+7 495 123-45-67",
        "email": "ivan@stroy.ru",
        "comment": "Need valves",
        "consent": "on",
        "website": "",
        "form_token": form_token(lead_form),
        "utm_source": "",
        "utm_medium": "",
        "utm_campaign": "",
    }
    return {**data, **changes}


def stored() -> tuple[int, int, int, int]:
    return (
        Partner.objects.count(),
        ContactPerson.objects.count(),
        Deal.objects.count(),
        LeadSubmission.objects.count(),
    )


def test_the_page_opens_without_login_may_be_framed_and_carries_the_utm_tags(client, lead_form):
    response = client.get(url(lead_form) + "?utm_source=yandex&utm_campaign=spring")

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    page = response.content.decode()
    assert 'name="utm_source" value="yandex"' in page
    assert 'name="utm_campaign" value="spring"' in page
    assert 'name="website"' in page


def test_allowed_origins_become_the_frame_ancestors(client, manager):
    lead_form = LeadFormFactory(manager=manager, allowed_origins="https://shop.example.com")

    response = client.get(url(lead_form))

    assert response["Content-Security-Policy"] == "frame-ancestors 'self' https://shop.example.com"


def test_an_unknown_token_is_not_found(client, lead_form):
    assert client.get("/lead/not-a-token/").status_code == 404
    assert client.get(f"/lead/{lead_form.pk}/").status_code == 404


def test_a_sent_request_makes_the_client_and_thanks_the_visitor(client, lead_form, manager):
    internet = channel_of("")
    UtmMappingFactory(utm_source="yandex", channel=internet)

    response = client.post(url(lead_form), post_data(lead_form, utm_source="Yandex"), REMOTE_ADDR="10.1.1.1")

    assert response.status_code == 302
    assert response["Location"] == f"/lead/{lead_form.token}/thanks/"
    partner = Partner.objects.get(name="Stroy LLC")
    assert partner.primary_interest_channel == internet
    submission = LeadSubmission.objects.get()
    assert (submission.outcome, submission.ip_address, submission.data["utm_source"]) == (
        LeadOutcome.CREATED,
        "10.1.1.1",
        "Yandex",
    )
    thanks = client.get(response["Location"])
    assert "We will call you back today." in thanks.content.decode()


def test_the_same_visitor_again_is_matched_not_duplicated(client, lead_form):
    client.post(url(lead_form), post_data(lead_form), REMOTE_ADDR="10.1.1.1")
    client.post(url(lead_form), post_data(lead_form, email="", comment="Again"), REMOTE_ADDR="10.1.1.2")

    assert Partner.objects.count() == 1
    assert Deal.objects.count() == 2
    assert list(LeadSubmission.objects.order_by("id").values_list("outcome", flat=True)) == [
        LeadOutcome.CREATED,
        LeadOutcome.MATCHED,
    ]


def test_a_filled_honeypot_is_logged_as_spam_and_creates_nothing_else(client, lead_form):
    response = client.post(url(lead_form), post_data(lead_form, website="http://spam.example"))

    assert response.status_code == 302  # the bot is thanked like anyone
    assert stored() == (0, 0, 0, 1)
    assert LeadSubmission.objects.get().outcome == LeadOutcome.SPAM


def test_too_many_requests_from_one_address_answer_429_and_store_nothing(client, lead_form):
    for _ in range(RATE_LIMIT):
        LeadSubmission.objects.create(form=lead_form, ip_address="10.9.9.9", outcome=LeadOutcome.SPAM)

    response = client.post(url(lead_form), post_data(lead_form), REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"] == "600"
    assert stored() == (0, 0, 0, RATE_LIMIT)


def test_the_limit_counts_only_the_last_ten_minutes_of_that_address(client, lead_form):
    old = timezone.now() - timedelta(minutes=11)
    for _ in range(RATE_LIMIT):
        LeadSubmission.objects.create(
            form=lead_form, ip_address="10.9.9.9", outcome=LeadOutcome.CREATED, created_at=old
        )
        LeadSubmission.objects.create(form=lead_form, ip_address="10.8.8.8", outcome=LeadOutcome.CREATED)

    response = client.post(url(lead_form), post_data(lead_form), REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 302
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"phone": "", "email": ""}, "Give a phone or an e-mail address"),
        ({"phone": "call me"}, "This is not a phone number"),
        ({"email": "ivan@"}, "Enter a valid email address."),
        ({"consent": ""}, "Tick the consent"),
        ({"form_token": "forged"}, "The form has expired"),
    ],
)
def test_bad_input_shows_the_form_with_the_message_and_stores_nothing(client, lead_form, changes, message):
    data = {
        key: value
        for key, value in post_data(lead_form, **changes).items()
        if value != "" or key != "consent"
    }

    response = client.post(url(lead_form), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0, 0)


def test_a_token_of_another_form_is_refused(client, lead_form, manager):
    other = LeadFormFactory(manager=manager)

    response = client.post(url(lead_form), post_data(lead_form, form_token=form_token(other)))

    assert response.status_code == 400
    assert stored() == (0, 0, 0, 0)


def test_a_switched_off_form_says_so_and_takes_nothing(client, lead_form):
    lead_form.active = False
    lead_form.save()

    shown = client.get(url(lead_form))
    sent = client.post(url(lead_form), post_data(lead_form))

    assert "not accepting requests" in shown.content.decode()
    assert "not accepting requests" in sent.content.decode()
    assert stored() == (0, 0, 0, 0)


def test_a_form_whose_deal_kind_lost_its_stages_says_it_is_closed(client, lead_form):
    lead_form.deal_kind.stages.all().delete()

    response = client.get(url(lead_form))

    assert "not accepting requests" in response.content.decode()


def test_a_settings_refusal_is_not_shown_to_the_visitor_and_stores_nothing(client, lead_form, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"manager": "Olga is deactivated and cannot be responsible."})

    monkeypatch.setattr("sdelka.marketing.weblead.lead_submit", refuse)

    response = client.post(url(lead_form), post_data(lead_form))

    page = response.content.decode()
    assert response.status_code == 400
    assert "could not accept the request just now" in page
    assert "Olga" not in page
    assert stored() == (0, 0, 0, 0)
