"""Individuals: list with search, create, edit with history, delete by heads."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sdelka.partners.models import Individual
from sdelka.partners.tests.factories import IndividualFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partners:individual_list")


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def names_in(response) -> list[str]:
    return re.findall(r'<a href="/partners/individuals/\d+/">([^<]+)</a>', response.content.decode())


def test_search_by_name(page_client_for, manager):
    IndividualFactory(name="Ivan Petrov")
    IndividualFactory(name="Maria Sidorova")

    response = page_client_for(manager).get(LIST, {"q": "petr"})

    assert names_in(response) == ["Ivan Petrov"]


def test_create_edit_and_history(page_client_for, marketer):
    client = page_client_for(marketer)

    created = client.post(
        reverse("partners:individual_create"), {"name": "Olga", "phones": "+7 900 000-00-01"}
    )
    individual = Individual.objects.get(name="Olga")
    client.post(reverse("partners:individual_edit", args=[individual.pk]), {"name": "Olga Ivanova"})
    detail = client.get(reverse("partners:individual_detail", args=[individual.pk]))

    assert created.status_code == 302
    assert individual.phones == ["+7 900 000-00-01"]
    assert re.search(
        r'<span class="old">Olga</span>\s*<span class="arrow">→</span>\s*<span class="new">Olga Ivanova</span>',
        detail.content.decode(),
    )


def test_a_wrong_inn_is_shown_next_to_the_field(page_client_for, manager):
    response = page_client_for(manager).post(
        reverse("partners:individual_create"), {"name": "Bad INN", "inn": "7707083893"}
    )

    assert re.search(r'id="field-inn".*?A person&#x27;s INN has 12 digits.', response.content.decode(), re.S)
    assert not Individual.objects.exists()


def test_only_heads_and_admins_delete(page_client_for, manager, head):
    individual = IndividualFactory()

    assert (
        page_client_for(manager).post(reverse("partners:individual_delete", args=[individual.pk])).status_code
        == 403
    )
    response = page_client_for(head).post(reverse("partners:individual_delete", args=[individual.pk]))

    assert response.status_code == 302
    assert not Individual.objects.exists()
