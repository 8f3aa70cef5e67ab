"""Our company (the seller): the service, the API ``/api/v1/company/`` and the administrators' page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sdelka.core.company import company_get, company_update
from sdelka.core.demo.company import DEMO_COMPANY, create_demo_company
from sdelka.core.models import Company
from sdelka.partners import taxids

pytestmark = pytest.mark.django_db

URL = "/api/v1/company/"
BAD_INN = "7714538207"  # the demo INN with a wrong control digit
PAGE = "core:company_edit"


# --- the demo seller -----------------------------------------------------------------------------------


def test_the_demo_company_has_valid_consistent_requisites():
    company = create_demo_company()

    taxids.validate_inn(company.inn)
    taxids.validate_kpp(company.kpp)
    taxids.validate_ogrn(company.ogrn)
    taxids.validate_bank_account(company.bank_account, company.bik)
    taxids.validate_bank_account(company.correspondent_account, company.bik, correspondent=True)
    assert company.kpp[:4] == company.inn[:4]  # registered at the tax office of its INN
    assert company.name == "ООО «ТехноСнаб»" and "Москва" in company.legal_address
    assert company.is_filled and company_get() == company


def test_creating_the_demo_company_twice_keeps_one_record():
    create_demo_company()
    create_demo_company()

    assert Company.objects.count() == 1


# --- the service ---------------------------------------------------------------------------------------


def test_an_administrator_fills_in_the_requisites_with_history(admin_user):
    company = company_update(
        actor=admin_user, data={**DEMO_COMPANY, "bank_account": "4070 2810 5380 0012 3456"}
    )

    assert company.pk == Company.COMPANY_PK
    assert company.bank_account == DEMO_COMPANY["bank_account"]
    record = company.history.get()
    assert (record.history_type, record.history_user) == ("+", admin_user)


def test_retyping_a_number_with_spaces_is_no_change(admin_user):
    company_update(actor=admin_user, data=DEMO_COMPANY)

    company_update(actor=admin_user, data={"inn": "7714 538206"})

    assert Company.objects.get().history.count() == 1


def test_a_bad_inn_is_refused_with_a_message_and_nothing_is_stored(admin_user):
    with pytest.raises(ValidationError) as refused:
        company_update(actor=admin_user, data={**DEMO_COMPANY, "inn": BAD_INN})

    assert refused.value.message_dict["inn"] == ["INN checksum is wrong: check the digits."]
    assert not Company.objects.exists()


def test_a_refused_change_keeps_the_stored_requisites(admin_user):
    create_demo_company()

    with pytest.raises(ValidationError):
        company_update(actor=admin_user, data={"name": "Renamed", "ogrn": "1157746582136"})

    stored = Company.objects.get()
    assert (stored.name, stored.ogrn) == (DEMO_COMPANY["name"], DEMO_COMPANY["ogrn"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kpp": "77140100"}, "kpp", "KPP must have 9 characters"),
        ({"ogrn": "12345"}, "ogrn", "OGRN must have 13 digits"),
        ({"bik": "04452522"}, "bik", "BIK must have 9 digits"),
        ({"bank_account": "40702810038000123456"}, "bank_account", "does not match the BIK"),
        ({"correspondent_account": "30101810500000000225"}, "correspondent_account", "does not match"),
        ({"bik": "", "bank_account": DEMO_COMPANY["bank_account"]}, "bik", "Enter the bank's BIK"),
        ({"inn": "500100732259", "kpp": "771401001"}, "kpp", "has no KPP"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"name": "  "}, "name", "cannot be blank"),
    ],
)
def test_each_bad_requisite_is_refused_on_its_field(admin_user, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        company_update(actor=admin_user, data={**DEMO_COMPANY, **changes})

    assert message in " ".join(refused.value.message_dict[field])
    assert not Company.objects.exists()


def test_a_sole_trader_has_a_twelve_digit_inn_and_no_kpp(admin_user):
    company = company_update(
        actor=admin_user,
        data={"name": "ИП Сидоров", "inn": "500100732259", "ogrn": "304500116000157"},
    )

    assert company.is_filled


def test_only_an_administrator_may_change_the_requisites(manager, head):
    for user in (manager, head):
        with pytest.raises(PermissionDenied):
            company_update(actor=user, data=DEMO_COMPANY)

    assert not Company.objects.exists()


def test_a_second_company_row_is_impossible():
    create_demo_company()

    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(pk=2, name="Another")


def test_an_unknown_field_is_refused(admin_user):
    with pytest.raises(ValidationError) as refused:
        company_update(actor=admin_user, data={"name": "X", "id": 5})

    assert "id" in refused.value.message_dict


# --- the API -------------------------------------------------------------------------------------------


def test_everyone_reads_the_requisites(manager, marketer, api_client_for):
    create_demo_company()

    for user in (manager, marketer):
        response = api_client_for(user).get(URL)
        assert response.status_code == 200
        assert response.json()["inn"] == DEMO_COMPANY["inn"]
        assert response.json()["is_filled"] is True


def test_before_the_first_save_the_requisites_are_empty(manager, api_client_for):
    body = api_client_for(manager).get(URL).json()

    assert body["name"] == "" and body["is_filled"] is False and body["updated_at"] is None


def test_anonymous_callers_read_nothing(client):
    create_demo_company()

    assert client.get(URL).status_code in (401, 403)


def test_a_manager_cannot_put_the_requisites(manager, head, api_client_for):
    for user in (manager, head):
        response = api_client_for(user).put(URL, DEMO_COMPANY, format="json")
        assert response.status_code == 403
        assert api_client_for(user).patch(URL, {"name": "X"}, format="json").status_code == 403

    assert not Company.objects.exists()


def test_an_administrator_puts_the_requisites(admin_user, api_client_for):
    response = api_client_for(admin_user).put(URL, DEMO_COMPANY, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["is_filled"] is True
    assert Company.objects.get().ogrn == DEMO_COMPANY["ogrn"]


def test_put_replaces_every_field_and_patch_changes_only_the_given(admin_user, api_client_for):
    client = api_client_for(admin_user)
    client.put(URL, DEMO_COMPANY, format="json")

    patched = client.patch(URL, {"phone": "+7 495 000-00-00"}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["phone"], patched.json()["inn"]) == ("+7 495 000-00-00", DEMO_COMPANY["inn"])

    replaced = client.put(URL, {"name": "ООО «Новая»"}, format="json")
    assert replaced.status_code == 200
    stored = Company.objects.get()
    assert (stored.name, stored.inn, stored.bank_account, stored.vat_payer) == ("ООО «Новая»", "", "", True)


def test_bad_input_is_answered_400_per_field_and_nothing_is_stored(admin_user, api_client_for):
    response = api_client_for(admin_user).put(
        URL,
        {**DEMO_COMPANY, "inn": BAD_INN, "bank_account": "40702810038000123456", "email": "nope"},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"email"}  # the serializer answers types and formats first
    response = api_client_for(admin_user).put(
        URL, {**DEMO_COMPANY, "inn": BAD_INN, "bank_account": "40702810038000123456"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["inn"] == ["INN checksum is wrong: check the digits."]
    assert "does not match the BIK" in errors["bank_account"][0]
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 123}, "name"),
        ({"vat_payer": "maybe"}, "vat_payer"),
        ({"inn": "1" * 41}, "inn"),
        ({}, "name"),
    ],
)
def test_wrong_types_are_refused_with_the_field_named(admin_user, api_client_for, body, field):
    response = api_client_for(admin_user).put(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_the_history_tells_who_changed_what(admin_user, manager, api_client_for):
    client = api_client_for(admin_user)
    client.put(URL, DEMO_COMPANY, format="json")
    client.patch(URL, {"director": "Иванов И. И."}, format="json")

    history = api_client_for(manager).get(f"{URL}history/").json()

    assert [entry["change_type"] for entry in history] == ["~", "+"]
    assert history[0]["changes"] == [
        {"field": "director", "label": "director", "old": DEMO_COMPANY["director"], "new": "Иванов И. И."}
    ]
    assert history[0]["user"] == admin_user.pk


# --- the page ------------------------------------------------------------------------------------------


def test_the_page_is_not_found_for_everyone_but_administrators(manager, head, marketer, page_client_for):
    for user in (manager, head, marketer):
        client = page_client_for(user)
        assert client.get(reverse(PAGE)).status_code == 404
        assert client.post(reverse(PAGE), {**DEMO_COMPANY}).status_code == 404

    assert not Company.objects.exists()


def test_an_administrator_saves_the_requisites_on_the_page(admin_user, page_client_for):
    client = page_client_for(admin_user)
    assert "not filled in yet" in client.get(reverse(PAGE)).content.decode()

    response = client.post(
        reverse(PAGE), {**DEMO_COMPANY, "correspondent_account": "3010 1810 4000 0000 0225"}, follow=True
    )

    assert response.status_code == 200
    assert "requisites are saved" in response.content.decode()
    stored = Company.objects.get()
    assert stored.correspondent_account == DEMO_COMPANY["correspondent_account"]
    assert stored.history.get().history_user == admin_user


def test_a_bad_inn_on_the_page_is_shown_beside_the_field(admin_user, page_client_for):
    client = page_client_for(admin_user)

    response = client.post(reverse(PAGE), {**DEMO_COMPANY, "inn": BAD_INN})

    assert response.status_code == 400
    assert response.context["form"].errors["inn"] == ["INN checksum is wrong: check the digits."]
    assert "INN checksum is wrong" in response.content.decode()
    assert not Company.objects.exists()
