"""Segment pages: list, the form with its rule builder, the segment with its members, evaluate, manual lists,
delete; permissions (403 for a role without the right, 404 for a missing segment); lists without N+1."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.partners.models import Segment, SegmentMember
from sdelka.partners.segments import services
from sdelka.partners.tests.factories import PartnerFactory


def rule(field, operator, value=None):
    return {"field": field, "operator": operator, "value": value}


@pytest.fixture
def rule_segment(db, marketer):
    PartnerFactory(name="Moscow One", region="Moscow")
    PartnerFactory(name="Kazan One", region="Kazan")
    return services.segment_create(
        actor=marketer,
        data={"name": "Moscow", "kind": "rules", "rules": [rule("region", "contains", "Moscow")]},
    )


@pytest.fixture
def manual_segment(db, marketer):
    return services.segment_create(actor=marketer, data={"name": "Hand list", "kind": "manual"})


def test_the_list_shows_segments_with_counts_without_n_plus_1(
    page_client_for, manager, marketer, rule_segment, django_assert_max_num_queries
):
    for number in range(15):
        services.segment_create(actor=marketer, data={"name": f"List {number:02d}", "kind": "manual"})
    client = page_client_for(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("segments:segment_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Moscow" in text and "List 14" in text
    assert "New segment" not in text  # a manager reads only


def test_a_marketer_creates_a_rule_segment_from_the_builder_rows(page_client_for, marketer, db):
    PartnerFactory(name="Big", region="Moscow")
    PartnerFactory(name="Small", region="Omsk")
    response = page_client_for(marketer).post(
        reverse("segments:segment_create"),
        {
            "name": "Moscow by form",
            "kind": "rules",
            "match": "all",
            "rule-3-field": "region",
            "rule-3-operator": "equals",
            "rule-3-value": "moscow",
            "rule-7-field": "is_client",
            "rule-7-operator": "is",
            "rule-7-value": "true",
        },
    )
    segment = Segment.objects.get(name="Moscow by form")
    assert response.status_code == 302
    assert response["Location"] == reverse("segments:segment_detail", args=[segment.pk])
    assert segment.rules == [rule("region", "equals", "moscow"), rule("is_client", "is", True)]
    assert set(segment.members.values_list("name", flat=True)) == {"Big"}


def test_a_bad_row_comes_back_with_the_condition_named_and_nothing_stored(page_client_for, marketer, db):
    response = page_client_for(marketer).post(
        reverse("segments:segment_create"),
        {
            "name": "Bad",
            "kind": "rules",
            "match": "all",
            "rule-0-field": "region",
            "rule-0-operator": "equals",
            "rule-0-value": "x",
            "rule-1-field": "sales_revenue",
            "rule-1-operator": "gte",
            "rule-1-amount": "a lot",
            "rule-1-period": "days",
            "rule-1-days": "30",
        },
    )
    assert response.status_code == 400
    assert "Condition 2: the amount must be a number." in response.content.decode()
    assert 'value="a lot"' in response.content.decode()  # the row is kept as typed
    assert not Segment.objects.exists()


def test_a_sales_row_with_a_date_range(page_client_for, marketer, db):
    page_client_for(marketer).post(
        reverse("segments:segment_create"),
        {
            "name": "Buyers",
            "kind": "rules",
            "match": "any",
            "rule-0-field": "sales_count",
            "rule-0-operator": "gte",
            "rule-0-amount": "2",
            "rule-0-period": "range",
            "rule-0-from": "2026-01-01",
            "rule-0-to": "2026-03-31",
        },
    )
    assert Segment.objects.get(name="Buyers").rules == [
        rule("sales_count", "gte", {"amount": "2", "from": "2026-01-01", "to": "2026-03-31"})
    ]


def test_a_new_row_follows_the_rows_on_the_page(page_client_for, marketer, db):
    response = page_client_for(marketer).get(
        reverse("segments:rule_row"), {"add": "1", "rule-4-field": "region", "rule-4-operator": "equals"}
    )
    assert response.status_code == 200
    assert 'name="rule-5-field"' in response.content.decode()


def test_the_value_widget_follows_the_field(page_client_for, marketer, db):
    from sdelka.partners.tests.factories import PartnerGroupFactory

    group = PartnerGroupFactory(name="Wholesale")
    client = page_client_for(marketer)
    response = client.get(
        reverse("segments:rule_row"), {"index": "2", "rule-2-field": "group", "rule-2-operator": "equals"}
    )
    text = response.content.decode()
    assert 'name="rule-2-value" multiple' in text and "Wholesale" in text and f'value="{group.pk}"' in text
    response = client.get(
        reverse("segments:rule_row"), {"index": "2", "rule-2-field": "created", "rule-2-operator": "between"}
    )
    text = response.content.decode()
    assert 'name="rule-2-from"' in text and 'type="date"' in text
    response = client.get(
        reverse("segments:rule_row"),
        {"index": "2", "rule-2-field": "last_purchase", "rule-2-operator": "never"},
    )
    assert 'name="rule-2-value"' not in response.content.decode()


def test_removing_a_row_answers_nothing_to_draw(page_client_for, marketer, db):
    response = page_client_for(marketer).get(reverse("segments:rule_row"), {"remove": "1"})
    assert response.status_code == 200 and response.content == b""


def test_the_edit_form_shows_the_stored_rows(page_client_for, marketer, rule_segment):
    response = page_client_for(marketer).get(reverse("segments:segment_edit", args=[rule_segment.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="rule-0-value" value="Moscow"' in text


def test_the_segment_page_lists_members_without_n_plus_1(
    page_client_for, marketer, manager, django_assert_max_num_queries
):
    from sdelka.partners.models import Tag

    tag = Tag.objects.create(name="VIP")
    for number in range(20):
        partner = PartnerFactory(name=f"Member {number:02d}", region="Moscow", manager=manager)
        partner.tags.add(tag)
    segment = services.segment_create(
        actor=marketer,
        data={"name": "Moscow", "kind": "rules", "rules": [rule("region", "equals", "Moscow")]},
    )
    client = page_client_for(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("segments:segment_detail", args=[segment.pk]))
    text = response.content.decode()
    assert "Member 19" in text and "Region equals Moscow" in text
    assert "Evaluate now" not in text


def test_a_manager_sees_only_members_in_their_scope(page_client_for, marketer, manager, outsider):
    PartnerFactory(name="Mine", manager=manager, region="X")
    PartnerFactory(name="Foreign", manager=outsider, region="X")
    segment = services.segment_create(
        actor=marketer, data={"name": "X", "kind": "rules", "rules": [rule("region", "equals", "X")]}
    )
    text = (
        page_client_for(manager).get(reverse("segments:segment_detail", args=[segment.pk])).content.decode()
    )
    assert "Mine" in text and "Foreign" not in text


def test_evaluate_now(page_client_for, marketer, rule_segment):
    PartnerFactory(name="Moscow Two", region="Moscow")
    response = page_client_for(marketer).post(reverse("segments:segment_evaluate", args=[rule_segment.pk]))
    assert response.status_code == 302
    assert Segment.objects.get(pk=rule_segment.pk).member_count == 2


def test_partners_are_added_and_removed_by_hand(page_client_for, marketer, manual_segment):
    one, two = PartnerFactory(name="One"), PartnerFactory(name="Two")
    client = page_client_for(marketer)
    page = client.get(reverse("segments:segment_detail", args=[manual_segment.pk])).content.decode()
    assert "Add to the segment" in page
    client.post(
        reverse("segments:segment_members_add", args=[manual_segment.pk]), {"partners": [one.pk, two.pk]}
    )
    assert set(manual_segment.members.all()) == {one, two}
    client.post(reverse("segments:segment_members_remove", args=[manual_segment.pk]), {"partners": [one.pk]})
    assert set(manual_segment.members.all()) == {two}
    assert Segment.objects.get(pk=manual_segment.pk).member_count == 1


def test_a_partner_outside_the_scope_cannot_be_added(page_client_for, head, outsider, manual_segment):
    foreign = PartnerFactory(manager=outsider)
    page_client_for(head).post(
        reverse("segments:segment_members_add", args=[manual_segment.pk]), {"partners": [foreign.pk]}
    )
    assert not SegmentMember.objects.exists()


def test_delete(page_client_for, marketer, rule_segment):
    response = page_client_for(marketer).post(reverse("segments:segment_delete", args=[rule_segment.pk]))
    assert response.status_code == 302
    assert not Segment.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("segment_create", "get", False),
        ("segment_edit", "get", True),
        ("segment_evaluate", "post", True),
        ("segment_members_add", "post", True),
        ("segment_members_remove", "post", True),
        ("segment_delete", "post", True),
    ],
)
def test_a_manager_may_not_change_segments(page_client_for, manager, rule_segment, name, method, args):
    url = reverse(f"segments:{name}", args=[rule_segment.pk] if args else [])
    assert getattr(page_client_for(manager), method)(url).status_code == 403
    assert Segment.objects.filter(pk=rule_segment.pk).exists()


def test_a_missing_segment_is_404(page_client_for, marketer, db):
    client = page_client_for(marketer)
    assert client.get(reverse("segments:segment_detail", args=[999999])).status_code == 404
    assert client.post(reverse("segments:segment_evaluate", args=[999999])).status_code == 404


def test_a_head_edits_segments(page_client_for, head, rule_segment):
    assert (
        page_client_for(head).get(reverse("segments:segment_edit", args=[rule_segment.pk])).status_code == 200
    )


def test_the_partner_page_lists_its_segments(page_client_for, marketer, manual_segment):
    from django.template.loader import render_to_string

    partner = PartnerFactory(name="Listed")
    services.segment_add_partners(actor=marketer, segment=manual_segment, partners=[partner])
    html = render_to_string("partners/segments/partials/_partner_segments.html", {"partner": partner})
    assert "Hand list" in html and reverse("segments:segment_detail", args=[manual_segment.pk]) in html
