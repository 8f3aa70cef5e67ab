"""The partner list and a partner's pages: scope, filters, sort, pages, moves, groups, tabs, history."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sdelka.accounts.tests.factories import UserFactory
from sdelka.partners.models import Partner, PartnerGroup, Tag
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partners:partner_list")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages(settings):
    """English pages, and static files served without a collected manifest."""
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def names_in(response) -> list[str]:
    """Partner names in the list's rows, in order."""
    return re.findall(r'<td class="name"><a href="/partners/\d+/">([^<]+)</a>', response.content.decode())


def tree_count(response, group_name: str) -> int:
    html = response.content.decode()
    match = re.search(
        rf'<span class="name">{re.escape(group_name)}</span><span class="count">(\d+)</span>', html
    )
    assert match, f"group {group_name} not in the tree"
    return int(match.group(1))


# --- scope ---------------------------------------------------------------------------------------------------


def test_list_shows_own_and_unassigned_partners_but_not_another_teams(page_client_for, manager, outsider):
    PartnerFactory(name="Mine", manager=manager)
    PartnerFactory(name="Nobodys", manager=None)
    PartnerFactory(name="Theirs", manager=outsider)

    response = page_client_for(manager).get(LIST)

    assert response.status_code == 200
    assert names_in(response) == ["Mine", "Nobodys"]


def test_group_counts_leave_out_partners_outside_the_scope(page_client_for, manager, outsider):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    PartnerFactory(name="Mine", manager=manager, group=moscow)
    PartnerFactory(name="Mine too", manager=manager, group=wholesale)
    PartnerFactory(name="Theirs", manager=outsider, group=moscow)

    response = page_client_for(manager).get(LIST)

    assert tree_count(response, "Wholesale") == 2
    assert tree_count(response, "Moscow") == 1


@pytest.mark.parametrize(
    "url_name, args_suffix",
    [
        ("partners:partner_detail", ""),
        ("partners:partner_detail", "?tab=contacts"),
        ("partners:partner_detail", "?tab=history"),
        ("partners:partner_edit", ""),
        ("partners:partner_delete", ""),
        ("partners:counterparty_create", ""),
        ("partners:contact_create", ""),
    ],
)
def test_a_foreign_partner_answers_404(page_client_for, head, outsider, url_name, args_suffix):
    foreign = PartnerFactory(manager=outsider)

    response = page_client_for(head).get(reverse(url_name, args=[foreign.pk]) + args_suffix)

    assert response.status_code == 404


def test_a_foreign_partner_answers_404_to_an_htmx_tab_request(page_client_for, manager, outsider):
    foreign = PartnerFactory(manager=outsider)

    response = page_client_for(manager).get(
        reverse("partners:partner_detail", args=[foreign.pk]) + "?tab=counterparties", **HTMX
    )

    assert response.status_code == 404


def test_deleting_a_foreign_partner_answers_404_and_keeps_it(page_client_for, head, outsider):
    foreign = PartnerFactory(manager=outsider)

    response = page_client_for(head).post(reverse("partners:partner_delete", args=[foreign.pk]))

    assert response.status_code == 404
    assert Partner.objects.filter(pk=foreign.pk).exists()


def test_the_list_needs_a_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- search, filters, sort, pages ----------------------------------------------------------------------------


def test_search_finds_by_name(page_client_for, manager):
    PartnerFactory(name="Romashka", manager=manager)
    PartnerFactory(name="Vasilek", manager=manager)

    response = page_client_for(manager).get(LIST, {"q": "omash"})

    assert names_in(response) == ["Romashka"]


def test_filters_by_relation_region_tag_and_unassigned(page_client_for, head, manager):
    supplier = PartnerFactory(
        name="Supplier", manager=manager, is_client=False, is_supplier=True, region="Tver"
    )
    PartnerFactory(name="Client", manager=manager, region="Moscow")
    nobodys = PartnerFactory(name="Nobodys", manager=None, region="Moscow")
    nobodys.tags.add(Tag.objects.create(name="VIP"))
    client = page_client_for(head)

    assert names_in(client.get(LIST, {"is_supplier": "true"})) == ["Supplier"]
    assert names_in(client.get(LIST, {"region": "mosc"})) == ["Client", "Nobodys"]
    assert names_in(client.get(LIST, {"tag": "vip"})) == ["Nobodys"]
    assert names_in(client.get(LIST, {"unassigned": "true"})) == ["Nobodys"]
    assert names_in(client.get(LIST, {"manager": manager.pk})) == ["Client", "Supplier"]
    assert supplier.pk


def test_group_filter_with_and_without_subgroups_and_without_group(page_client_for, manager):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    PartnerFactory(name="Top", manager=manager, group=wholesale)
    PartnerFactory(name="Deep", manager=manager, group=moscow)
    PartnerFactory(name="Loose", manager=manager)
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"group": wholesale.pk})) == ["Deep", "Top"]
    assert names_in(client.get(LIST, {"group": wholesale.pk, "include_subgroups": "false"})) == ["Top"]
    assert names_in(client.get(LIST, {"without_group": "true"})) == ["Loose"]


def test_sorting_by_name_both_ways_and_by_region(page_client_for, manager):
    PartnerFactory(name="Beta", manager=manager, region="Aaa")
    PartnerFactory(name="Alpha", manager=manager, region="Zzz")
    PartnerFactory(name="Gamma", manager=manager, region="Mmm")
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"sort": "name"})) == ["Alpha", "Beta", "Gamma"]
    assert names_in(client.get(LIST, {"sort": "-name"})) == ["Gamma", "Beta", "Alpha"]
    assert names_in(client.get(LIST, {"sort": "region"})) == ["Beta", "Gamma", "Alpha"]
    assert names_in(client.get(LIST, {"sort": "nonsense"})) == ["Alpha", "Beta", "Gamma"]


def test_sorting_by_manager(page_client_for, head, manager):
    manager.last_name, head.last_name = "Zimin", "Abramov"
    manager.save()
    head.save()
    PartnerFactory(name="Of manager", manager=manager)
    PartnerFactory(name="Of head", manager=head)

    response = page_client_for(head).get(LIST, {"sort": "manager"})

    assert names_in(response) == ["Of head", "Of manager"]


def test_pages_of_fifty_with_the_total(page_client_for, manager):
    for number in range(55):
        PartnerFactory(name=f"P{number:03d}", manager=manager)
    client = page_client_for(manager)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(names_in(first)) == 50
    assert names_in(second) == [f"P{n:03d}" for n in range(50, 55)]
    assert "55 records" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_list_runs_the_same_number_of_queries_for_1_and_50_partners(page_client_for, manager):
    group = PartnerGroupFactory(name="Group")
    tag = Tag.objects.create(name="VIP")
    client = page_client_for(manager)

    def make(count):
        for _ in range(count):
            partner = PartnerFactory(manager=manager, group=group, phones=["+7 495 123-45-67"])
            partner.tags.add(tag)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries)

    make(1)
    one = count_queries()
    make(49)
    fifty = count_queries()

    assert one == fifty


# --- move to group -------------------------------------------------------------------------------------------


def test_move_to_group_with_htmx_returns_the_list_fragment_and_skips_foreign_ids(
    page_client_for, manager, outsider
):
    target = PartnerGroupFactory(name="Target")
    mine = PartnerFactory(name="Mine", manager=manager)
    foreign = PartnerFactory(name="Theirs", manager=outsider)

    response = page_client_for(manager).post(
        reverse("partners:partner_move_to_group"),
        {"partner": [mine.pk, foreign.pk], "group": target.pk, "list_query": "sort=-name"},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="partner-browser"' in html
    assert "<html" not in html
    assert "1 partner moved to “Target”." in html
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.group == target
    assert foreign.group is None
    assert tree_count(response, "Target") == 1


def test_move_out_of_any_group(page_client_for, manager):
    group = PartnerGroupFactory(name="Old")
    partner = PartnerFactory(manager=manager, group=group)

    page_client_for(manager).post(
        reverse("partners:partner_move_to_group"), {"partner": [partner.pk], "group": ""}, **HTMX
    )

    partner.refresh_from_db()
    assert partner.group is None


def test_move_without_htmx_redirects_back_to_the_list(page_client_for, manager):
    target = PartnerGroupFactory(name="Target")
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("partners:partner_move_to_group"),
        {"partner": [partner.pk], "group": target.pk, "list_query": "q=x"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?q=x"


def test_a_marketer_cannot_move_partners(page_client_for, marketer):
    target = PartnerGroupFactory(name="Target")
    partner = PartnerFactory()

    response = page_client_for(marketer).post(
        reverse("partners:partner_move_to_group"), {"partner": [partner.pk], "group": target.pk}, **HTMX
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.group is None


# --- group management ----------------------------------------------------------------------------------------


def test_a_head_creates_renames_and_deletes_a_group(page_client_for, head):
    client = page_client_for(head)

    response = client.post(reverse("partners:partner_group_create"), {"name": "Retail"}, follow=True)
    group = PartnerGroup.objects.get(name="Retail")
    assert "Group “Retail” created." in response.content.decode()

    client.post(reverse("partners:partner_group_rename", args=[group.pk]), {"name": "Retail shops"})
    group.refresh_from_db()
    assert group.name == "Retail shops"

    client.post(reverse("partners:partner_group_delete", args=[group.pk]))
    assert not PartnerGroup.objects.filter(pk=group.pk).exists()


def test_moving_a_group_into_its_own_subgroup_shows_the_reason(page_client_for, head):
    parent = PartnerGroupFactory(name="Parent")
    child = PartnerGroupFactory(name="Child", parent=parent)

    response = page_client_for(head).post(
        reverse("partners:partner_group_move", args=[parent.pk]), {"parent": child.pk}, follow=True
    )

    assert "A group cannot be moved into its own subgroup “Child”." in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent is None


def test_moving_a_group_under_another(page_client_for, head):
    first = PartnerGroupFactory(name="First")
    second = PartnerGroupFactory(name="Second")

    page_client_for(head).post(reverse("partners:partner_group_move", args=[second.pk]), {"parent": first.pk})

    second.refresh_from_db()
    assert second.parent == first


def test_a_group_with_partners_is_not_deleted(page_client_for, head):
    group = PartnerGroupFactory(name="Busy")
    PartnerFactory(group=group)

    response = page_client_for(head).post(
        reverse("partners:partner_group_delete", args=[group.pk]), follow=True
    )

    assert "The group still holds partners" in response.content.decode()
    assert PartnerGroup.objects.filter(pk=group.pk).exists()


def test_a_manager_has_no_group_management(page_client_for, manager):
    client = page_client_for(manager)

    assert "Manage groups" not in client.get(LIST).content.decode()
    response = client.post(reverse("partners:partner_group_create"), {"name": "Mine"})
    assert response.status_code == 403
    assert not PartnerGroup.objects.filter(name="Mine").exists()


# --- create, edit, delete -------------------------------------------------------------------------------------


def test_create_a_partner_with_phones_emails_and_tags(page_client_for, manager):
    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {
            "name": "Romashka",
            "kind": "company",
            "is_client": "on",
            "manager": manager.pk,
            "phones": "+7 495 123-45-67\n\n+7 916 000-00-00",
            "emails": "info@romashka.ru",
            "tags": "VIP, tender",
        },
    )

    partner = Partner.objects.get(name="Romashka")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partner_detail", args=[partner.pk])
    assert partner.phones == ["+7 495 123-45-67", "+7 916 000-00-00"]
    assert partner.emails == ["info@romashka.ru"]
    assert sorted(tag.name for tag in partner.tags.all()) == ["VIP", "tender"]
    assert partner.manager == manager


def test_create_shows_the_model_errors_next_to_the_fields(page_client_for, manager):
    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {"name": "No relation", "kind": "company", "phones": "not a phone", "emails": "nope"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="field-is_client".*?Tick at least one relation', html, re.S)
    assert re.search(r'id="field-phones".*?is not a phone number', html, re.S)
    assert not Partner.objects.filter(name="No relation").exists()


def test_manager_choices_are_limited_to_the_ones_the_user_may_assign(page_client_for, manager, outsider):
    response = page_client_for(manager).get(reverse("partners:partner_create"))

    html = response.content.decode()
    assert f'value="{manager.pk}"' in html
    assert f'value="{outsider.pk}"' not in html


def test_a_manager_cannot_give_a_partner_to_another_team(page_client_for, manager, outsider):
    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {"name": "Gift", "kind": "company", "is_client": "on", "manager": outsider.pk},
    )

    assert response.status_code == 200
    assert not Partner.objects.filter(name="Gift").exists()


def test_edit_then_history_tab_shows_old_and_new_value(page_client_for, manager):
    partner = PartnerFactory(name="Old name", manager=manager)
    client = page_client_for(manager)

    client.post(
        reverse("partners:partner_edit", args=[partner.pk]),
        {"name": "New name", "kind": "company", "is_client": "on", "manager": manager.pk},
    )
    response = client.get(reverse("partners:partner_detail", args=[partner.pk]), {"tab": "history"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert re.search(
        r'<span class="old">Old name</span>\s*<span class="arrow">→</span>\s*<span class="new">New name</span>',
        html,
    )


def test_edit_keeps_the_tags_and_shows_them_in_the_form(page_client_for, manager):
    partner = PartnerFactory(name="Tagged", manager=manager)
    partner.tags.add(Tag.objects.create(name="VIP"))

    response = page_client_for(manager).get(reverse("partners:partner_edit", args=[partner.pk]))

    assert 'value="VIP"' in response.content.decode()


def test_tabs_are_full_pages_by_url_and_fragments_for_htmx(page_client_for, manager):
    partner = PartnerFactory(name="Tabbed", manager=manager)
    client = page_client_for(manager)
    url = reverse("partners:partner_detail", args=[partner.pk])

    for tab in ("main", "counterparties", "contacts", "history"):
        page = client.get(url, {"tab": tab})
        fragment = client.get(url, {"tab": tab}, **HTMX)
        assert page.status_code == fragment.status_code == 200
        assert "<html" in page.content.decode()
        assert "<html" not in fragment.content.decode()
        assert 'id="partner-tabs"' in fragment.content.decode()
        assert "HX-Request" in fragment["Vary"]


def test_a_head_deletes_a_partner_after_confirming(page_client_for, head, manager):
    partner = PartnerFactory(name="Doomed", manager=manager)
    client = page_client_for(head)

    confirm = client.get(reverse("partners:partner_delete", args=[partner.pk]))
    response = client.post(reverse("partners:partner_delete", args=[partner.pk]))

    assert "Delete the partner “Doomed”?" in confirm.content.decode()
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()


def test_a_manager_may_not_delete_partners(page_client_for, manager):
    partner = PartnerFactory(manager=manager)
    client = page_client_for(manager)

    assert client.post(reverse("partners:partner_delete", args=[partner.pk])).status_code == 403
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_a_marketer_sees_partners_without_edit_controls(page_client_for, marketer):
    partner = PartnerFactory(name="Visible", manager=UserFactory())
    client = page_client_for(marketer)

    listing = client.get(LIST).content.decode()
    detail = client.get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()

    assert "Visible" in listing
    assert "New partner" not in listing
    assert 'name="partner"' not in listing
    assert reverse("partners:partner_edit", args=[partner.pk]) not in detail
    assert client.get(reverse("partners:partner_edit", args=[partner.pk])).status_code == 403


def test_large_ids_are_not_grouped_in_form_values(manager, page_client_for):
    """With thousands of partners an id like 12345 must stay "12345" in the move form, not "12,345"."""
    from sdelka.partners.tests.factories import PartnerFactory as Factory

    partner = Factory(pk=12345, name="Big Id", manager=manager)

    page = page_client_for(manager).get("/partners/").content.decode()

    assert f'name="partner" value="{partner.pk}"' in page
