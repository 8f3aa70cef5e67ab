"""Contact persons on the partner's contacts tab: added inline with htmx, edited, deleted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sdelka.partners.models import ContactPerson
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_add_a_contact_with_htmx_rerenders_the_tab_with_it(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("partners:contact_create", args=[partner.pk]),
        {
            "name": "Ivan Petrov",
            "position": "Buyer",
            "phones": "+7 495 111-22-33",
            "emails": "ivan@example.com\nipetrov@example.com",
            "birthday": "1980-05-17",
        },
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="partner-tabs"' in html and "<html" not in html
    assert "Ivan Petrov</a>" in html
    contact = partner.contacts.get()
    assert contact.emails == ["ivan@example.com", "ipetrov@example.com"]
    assert contact.birthday.isoformat() == "1980-05-17"


def test_a_bad_email_comes_back_next_to_the_field_with_400(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("partners:contact_create", args=[partner.pk]),
        {"name": "Ivan", "emails": "not-an-email"},
        **HTMX,
    )

    assert response.status_code == 400
    assert re.search(r'id="field-emails".*?is not an e-mail address', response.content.decode(), re.S)
    assert not ContactPerson.objects.exists()


def test_a_missing_name_is_reported(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("partners:contact_create", args=[partner.pk]), {"name": ""}, **HTMX
    )

    assert response.status_code == 400
    assert re.search(r'id="field-name".*?This field is required.', response.content.decode(), re.S)


def test_cannot_add_a_contact_to_a_foreign_partner(page_client_for, manager, outsider):
    foreign = PartnerFactory(manager=outsider)

    response = page_client_for(manager).post(
        reverse("partners:contact_create", args=[foreign.pk]), {"name": "Spy"}, **HTMX
    )

    assert response.status_code == 404
    assert not ContactPerson.objects.exists()


def test_edit_a_contact_and_see_its_history(page_client_for, manager):
    contact = ContactPersonFactory(partner=PartnerFactory(manager=manager), name="Anna", position="Buyer")
    client = page_client_for(manager)
    url = reverse("partners:contact_edit", args=[contact.pk])

    response = client.post(url, {"name": "Anna", "position": "Chief buyer"})
    page = client.get(url)

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.position == "Chief buyer"
    assert re.search(
        r'<span class="old">Buyer</span>\s*<span class="arrow">→</span>\s*<span class="new">Chief buyer</span>',
        page.content.decode(),
    )


def test_delete_a_contact_with_htmx(page_client_for, manager):
    contact = ContactPersonFactory(partner=PartnerFactory(manager=manager), name="Gone")

    response = page_client_for(manager).post(reverse("partners:contact_delete", args=[contact.pk]), **HTMX)

    assert response.status_code == 200
    assert "Contact person “Gone” deleted." in response.content.decode()
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()


def test_a_foreign_contact_answers_404(page_client_for, manager, outsider):
    contact = ContactPersonFactory(partner=PartnerFactory(manager=outsider))
    client = page_client_for(manager)

    assert client.get(reverse("partners:contact_edit", args=[contact.pk])).status_code == 404
    assert client.post(reverse("partners:contact_delete", args=[contact.pk])).status_code == 404
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_a_marketer_has_no_contact_form(page_client_for, marketer):
    partner = PartnerFactory()

    response = page_client_for(marketer).get(
        reverse("partners:partner_detail", args=[partner.pk]), {"tab": "contacts"}
    )

    assert "Add contact person" not in response.content.decode()
