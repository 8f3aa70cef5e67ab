"""The interactions API: create, read, change, delete, filters, "reviewed", "to review", bad input."""

from sdelka.deals.tests.factories import DealFactory
from sdelka.interactions.models import Interaction
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory


def test_crud_and_filters(manager, head, api_client_for):
    partner = PartnerFactory(manager=manager)
    contact = ContactPersonFactory(partner=partner)
    api = api_client_for(manager)
    created = api.post(
        "/api/v1/interactions/",
        {
            "kind": "call",
            "direction": "incoming",
            "topic": "Hello",
            "partner": partner.pk,
            "contacts": [contact.pk],
            "duration_seconds": 60,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api.get("/api/v1/interactions/?kind=call").json()["count"] == 1
    assert api.get("/api/v1/interactions/?kind=meeting").json()["count"] == 0
    assert api.get(f"/api/v1/interactions/?partner={partner.pk}&reviewed=false").json()["count"] == 1
    changed = api.patch(f"/api/v1/interactions/{pk}/", {"topic": "Hello again"}, format="json")
    assert changed.json()["topic"] == "Hello again"
    assert api.get("/api/v1/interactions/to-review/").json()["count"] == 1
    assert api.post(f"/api/v1/interactions/{pk}/reviewed/", {}, format="json").json()["reviewed"] is True
    assert api.get("/api/v1/interactions/to-review/").json()["count"] == 0
    assert api.get(f"/api/v1/interactions/{pk}/history/").status_code == 200
    assert api.delete(f"/api/v1/interactions/{pk}/").status_code == 403
    assert api_client_for(head).delete(f"/api/v1/interactions/{pk}/").status_code == 204


def test_the_deal_filter_and_subject(manager, api_client_for):
    deal = DealFactory(manager=manager)
    api = api_client_for(manager)
    created = api.post(
        "/api/v1/interactions/",
        {"kind": "meeting", "topic": "Visit", "subject_type": "deal", "subject_id": deal.pk},
        format="json",
    ).json()
    assert (
        created["deal"] == deal.pk
        and created["subject_type"] == "deal"
        and created["subject_name"] == str(deal)
    )
    assert api.get(f"/api/v1/interactions/?deal={deal.pk}").json()["count"] == 1
    assert api.get(f"/api/v1/interactions/?subject_type=deal&subject_id={deal.pk}").json()["count"] == 1


def test_bad_input_is_answered_and_nothing_is_stored(manager, outsider, api_client_for):
    partner = PartnerFactory(manager=manager)
    api = api_client_for(manager)
    cases = [
        ({"kind": "fax", "topic": "x", "partner": partner.pk}, "kind"),
        ({"kind": "call", "topic": "x", "partner": partner.pk}, "direction"),
        ({"kind": "meeting", "topic": 5, "partner": partner.pk}, "topic"),
        ({"kind": "meeting", "topic": "x"}, "partner"),
        ({"kind": "meeting", "topic": "x", "partner": PartnerFactory(manager=outsider).pk}, "partner"),
        (
            {
                "kind": "meeting",
                "topic": "x",
                "subject_type": "deal",
                "subject_id": DealFactory(manager=outsider).pk,
            },
            "subject_id",
        ),
        ({"kind": "meeting", "topic": "x", "subject_type": "deal"}, "subject_id"),
        (
            {"kind": "meeting", "topic": "x", "partner": partner.pk, "contacts": [ContactPersonFactory().pk]},
            "contacts",
        ),
        (
            {
                "kind": "email",
                "direction": "outgoing",
                "topic": "x",
                "partner": partner.pk,
                "email_to": ["nope"],
            },
            "email_to",
        ),
    ]
    for body, field in cases:
        response = api.post("/api/v1/interactions/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert field in response.json(), (body, response.json())
    assert not Interaction.objects.exists()
