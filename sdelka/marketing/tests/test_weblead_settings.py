"""The settings of web forms and UTM mappings and the requests log: pages and API for marketers only,
refusals with their reasons, and lists without a query per row."""

from __future__ import annotations

import pytest

from sdelka.deals.tests.factories import DealKindFactory
from sdelka.marketing.choices import SourceType
from sdelka.marketing.tests.factories import MarketingEventFactory, channel_of
from sdelka.marketing.tests.weblead_factories import LeadFormFactory, UtmMappingFactory
from sdelka.marketing.weblead import lead_submit
from sdelka.marketing.weblead_models import LeadForm, LeadSubmission, UtmMapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_form(manager):
    return LeadFormFactory(manager=manager, name="Site form")


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "head"])
def test_sales_roles_get_403_on_every_settings_page(role, request, lead_form, page_client_for):
    client = page_client_for(request.getfixturevalue(role))
    mapping = UtmMappingFactory(form=lead_form, utm_source="yandex")

    statuses = [
        client.get("/marketing/lead-forms/").status_code,
        client.get("/marketing/lead-forms/new/").status_code,
        client.get(f"/marketing/lead-forms/{lead_form.pk}/").status_code,
        client.post(f"/marketing/lead-forms/{lead_form.pk}/edit/", {"name": "x"}).status_code,
        client.post(f"/marketing/lead-forms/{lead_form.pk}/delete/").status_code,
        client.post(f"/marketing/lead-forms/{lead_form.pk}/new-link/").status_code,
        client.get("/marketing/lead-forms/requests/").status_code,
        client.post(f"/marketing/lead-forms/mappings/{mapping.pk}/delete/").status_code,
    ]

    assert statuses == [403] * 8
    assert LeadForm.objects.get().name == "Site form"
    assert UtmMapping.objects.exists()


def test_a_marketer_creates_a_form_and_sees_its_link_and_embed_snippet(marketer, manager, page_client_for):
    kind = DealKindFactory(name="Web lead")
    client = page_client_for(marketer)

    response = client.post(
        "/marketing/lead-forms/new/",
        {
            "name": "Contact us",
            "deal_kind": kind.pk,
            "manager": manager.pk,
            "active": "on",
            "allowed_origins": "https://shop.example.com/",
        },
    )

    lead_form = LeadForm.objects.get()
    assert response["Location"] == f"/marketing/lead-forms/{lead_form.pk}/"
    assert lead_form.allowed_origins == "https://shop.example.com"
    assert len(lead_form.token) >= 22
    page = client.get(response["Location"]).content.decode()
    assert f"/lead/{lead_form.token}/" in page
    assert "&lt;iframe src=&quot;http://testserver/lead/" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"allowed_origins": "shop.example.com"}, "allowed_origins", "is not a site address"),
        (
            {"allowed_origins": "https://shop.example.com; script-src *"},
            "allowed_origins",
            "is not a site address",
        ),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_settings_are_shown_on_the_form_and_store_nothing(
    changes, field, message, marketer, manager, page_client_for
):
    kind = DealKindFactory()
    data = {"name": "Contact us", "deal_kind": kind.pk, "manager": manager.pk, **changes}

    response = page_client_for(marketer).post("/marketing/lead-forms/new/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LeadForm.objects.exists()


def test_a_deactivated_manager_is_refused_and_a_form_left_with_one_is_flagged(
    marketer, manager, page_client_for
):
    from django.core.exceptions import ValidationError

    from sdelka.marketing.weblead import lead_form_create

    lead_form = LeadFormFactory(manager=manager)
    manager.is_active = False
    manager.save()

    with pytest.raises(ValidationError) as refused:
        lead_form_create(
            actor=marketer, data={"name": "New", "deal_kind": lead_form.deal_kind, "manager": manager}
        )

    assert "deactivated" in refused.value.message_dict["manager"][0]
    assert LeadForm.objects.count() == 1
    assert "is deactivated" in page_client_for(marketer).get("/marketing/lead-forms/").content.decode()


def test_a_new_link_replaces_the_old_one(marketer, lead_form, client, page_client_for):
    old = lead_form.token

    page_client_for(marketer).post(f"/marketing/lead-forms/{lead_form.pk}/new-link/")

    lead_form.refresh_from_db()
    assert lead_form.token != old
    assert client.get(f"/lead/{old}/").status_code == 404


def test_a_form_with_requests_is_kept_and_one_without_is_deleted(
    marketer, lead_form, manager, page_client_for
):
    empty = LeadFormFactory(manager=manager)
    lead_submit(form=lead_form, data={"name": "Ivan", "email": "ivan@example.com"}, ip=None)
    client = page_client_for(marketer)

    client.post(f"/marketing/lead-forms/{lead_form.pk}/delete/")
    client.post(f"/marketing/lead-forms/{empty.pk}/delete/")

    assert list(LeadForm.objects.all()) == [lead_form]
    page = client.get(f"/marketing/lead-forms/{lead_form.pk}/", follow=True).content.decode()
    assert "Ivan" in page


def test_a_mapping_of_an_event_channel_takes_the_event_and_others_refuse_it(
    marketer, lead_form, page_client_for
):
    expos, internet = channel_of(SourceType.EVENT), channel_of("")
    expo = MarketingEventFactory()
    client = page_client_for(marketer)

    ok = client.post(
        "/marketing/lead-forms/mappings/new/",
        {"form": lead_form.pk, "utm_source": " Yandex ", "channel": expos.pk, "event": expo.pk},
    )
    refused = client.post(
        "/marketing/lead-forms/mappings/new/", {"utm_source": "vk", "channel": internet.pk, "event": expo.pk}
    )
    blank = client.post("/marketing/lead-forms/mappings/new/", {"channel": internet.pk})

    assert ok.status_code == 302
    assert UtmMapping.objects.get().utm_source == "yandex"
    assert "does not take a marketing event" in refused.content.decode()
    assert "Fill in at least one" in blank.content.decode()
    assert UtmMapping.objects.count() == 1


def test_the_log_lists_requests_without_a_query_per_row(
    marketer, lead_form, page_client_for, django_assert_max_num_queries
):
    for n in range(6):
        lead_submit(form=lead_form, data={"name": f"Visitor {n}", "email": f"v{n}@example.com"}, ip=None)
    LeadSubmission.objects.create(form=lead_form, outcome="spam", data={"name": "Bot"})
    client = page_client_for(marketer)

    with django_assert_max_num_queries(12):
        page = client.get("/marketing/lead-forms/requests/?outcome=spam").content.decode()
    with django_assert_max_num_queries(12):
        everything = client.get("/marketing/lead-forms/requests/").content.decode()
    with django_assert_max_num_queries(16):
        client.get(f"/marketing/lead-forms/{lead_form.pk}/")

    assert "Bot" in page and "Visitor 1" not in page
    assert all(f"Visitor {n}" in everything for n in range(6))


# --- API --------------------------------------------------------------------------------------------------------


def test_the_api_creates_a_form_and_refuses_bad_input_with_messages(marketer, manager, api_client_for):
    client = api_client_for(marketer)
    kind = DealKindFactory()

    created = client.post(
        "/api/v1/lead-forms/",
        {"name": "API form", "deal_kind": kind.pk, "manager": manager.pk, "token": "mine"},
        format="json",
    )
    refused = client.post(
        "/api/v1/lead-forms/",
        {"name": "Bad", "deal_kind": kind.pk, "manager": manager.pk, "allowed_origins": "ftp://x"},
        format="json",
    )

    assert created.status_code == 201
    assert created.json()["token"] != "mine" and len(created.json()["token"]) >= 22
    assert refused.status_code == 400 and "allowed_origins" in refused.json()
    assert LeadForm.objects.count() == 1


def test_the_api_log_is_read_only_and_for_marketers(marketer, manager, lead_form, api_client_for):
    lead_submit(form=lead_form, data={"name": "Ivan", "email": "ivan@example.com"}, ip="10.0.0.1")
    submission = LeadSubmission.objects.get()

    listed = api_client_for(marketer).get("/api/v1/lead-submissions/")
    detail = api_client_for(marketer).get(f"/api/v1/lead-submissions/{submission.pk}/")
    deleted = api_client_for(marketer).delete(f"/api/v1/lead-submissions/{submission.pk}/")
    forbidden = api_client_for(manager).get("/api/v1/lead-submissions/")

    assert listed.status_code == 200
    row = listed.json()["results"][0]
    assert (row["outcome"], row["ip_address"], row["data"]["name"]) == ("created", "10.0.0.1", "Ivan")
    assert detail.json()["deal"] == submission.deal_id
    assert deleted.status_code == 405
    assert forbidden.status_code == 403
    assert LeadSubmission.objects.exists()


def test_the_list_of_forms_costs_the_same_for_many_forms(
    marketer, manager, page_client_for, api_client_for, django_assert_max_num_queries
):
    for _ in range(5):
        LeadFormFactory(manager=manager)
    client, api = page_client_for(marketer), api_client_for(marketer)

    with django_assert_max_num_queries(10):
        page = client.get("/marketing/lead-forms/").content.decode()
    with django_assert_max_num_queries(8):
        listed = api.get("/api/v1/lead-forms/")

    assert page.count("/marketing/lead-forms/") >= 5
    assert listed.json()["count"] == 5
