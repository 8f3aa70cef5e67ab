"""The unsubscribe link: signed, confirmed by a button (not by opening), honoured by automatic letters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.interactions.models import EmailOptOut
from sdelka.interactions.optouts import email_from_token, opted_out, unsubscribe_token, unsubscribe_url

pytestmark = pytest.mark.django_db


def test_the_token_gives_back_its_address_and_an_altered_one_gives_nothing():
    token = unsubscribe_token(" Anna@Client.example ")
    assert email_from_token(token) == "anna@client.example"
    assert email_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert email_from_token("not-a-token") is None


def test_opening_the_link_asks_and_only_the_button_unsubscribes(client, settings):
    settings.SDELKA_SITE_URL = "https://crm.example"
    url = unsubscribe_url("anna@client.example")
    assert url.startswith("https://crm.example/unsubscribe/")
    path = url.removeprefix("https://crm.example")

    opened = client.get(path)
    assert opened.status_code == 200 and "anna@client.example" in opened.content.decode()
    assert not EmailOptOut.objects.exists()

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert opted_out(["ANNA@client.example", "other@client.example"]) == {"anna@client.example"}
    assert client.post(path).status_code == 200  # twice is fine
    assert EmailOptOut.objects.count() == 1


def test_a_forged_link_unsubscribes_nobody(client):
    answer = client.post(reverse("unsubscribe", args=["anna@client.example"]))
    assert answer.status_code == 404
    assert not EmailOptOut.objects.exists()


def test_managers_unsubscribe_an_address_by_hand_and_undo_it(page_client_for, manager):
    client = page_client_for(manager)
    url = reverse("interactions:opt_out_list")
    assert client.post(url, {"email": "not an address"}).status_code == 400
    assert client.post(url, {"email": "boss@client.example"}).status_code == 302
    assert EmailOptOut.objects.get().source == "manual"
    assert "boss@client.example" in client.get(url).content.decode()
    client.post(url, {"remove": "boss@client.example"})
    assert not EmailOptOut.objects.exists()
