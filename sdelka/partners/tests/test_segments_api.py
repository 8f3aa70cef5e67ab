"""The segments API: CRUD with rules as JSON (a bad rule → 400 naming the condition, nothing stored),
members (those the caller sees), evaluate now, adding/removing partners of a manual segment, permissions."""

from __future__ import annotations

import pytest

from sdelka.partners.models import Segment, SegmentMember
from sdelka.partners.segments import services
from sdelka.partners.tests.factories import PartnerFactory

URL = "/api/v1/segments/"


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


def test_create_a_rule_segment(api_client_for, marketer, db):
    PartnerFactory(name="Ann", kind="person")
    response = api_client_for(marketer).post(
        URL,
        {"name": "People", "kind": "rules", "match": "any", "rules": [rule("kind", "in", ["person"])]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["member_count"] == 1 and body["evaluated_at"]
    assert body["rules"] == [rule("kind", "in", ["person"])]


def test_a_bad_rule_is_400_naming_the_condition(api_client_for, marketer, db):
    response = api_client_for(marketer).post(
        URL,
        {"name": "Bad", "kind": "rules", "rules": [rule("kind", "in", ["person"]), rule("tags", "all", [1])]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["rules"][0].startswith("Condition 2: the field “Tags” has no operator “all”")
    assert not Segment.objects.exists()


def test_rules_that_are_not_a_list_are_400(api_client_for, marketer, db):
    response = api_client_for(marketer).post(
        URL, {"name": "Bad", "kind": "rules", "rules": {"a": 1}}, format="json"
    )
    assert response.status_code == 400
    assert "list of conditions" in str(response.json())


def test_create_a_manual_segment_with_partners(api_client_for, marketer, db):
    one, two = PartnerFactory(), PartnerFactory()
    response = api_client_for(marketer).post(
        URL, {"name": "List", "kind": "manual", "partners": [one.pk, two.pk]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["member_count"] == 2


def test_unknown_partners_are_named(api_client_for, head, outsider, db):
    foreign = PartnerFactory(manager=outsider)
    response = api_client_for(head).post(
        URL, {"name": "List", "kind": "manual", "partners": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400
    assert str(foreign.pk) in str(response.json()["partners"])
    assert not Segment.objects.exists()


def test_update_rules_re_evaluates(api_client_for, marketer, rule_segment):
    response = api_client_for(marketer).patch(
        f"{URL}{rule_segment.pk}/", {"rules": [rule("region", "equals", "Kazan")]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["member_count"] == 1
    assert list(rule_segment.members.values_list("name", flat=True)) == ["Kazan One"]


def test_members_are_those_the_caller_sees(api_client_for, marketer, manager, outsider, db):
    PartnerFactory(name="Mine", manager=manager, region="X")
    PartnerFactory(name="Foreign", manager=outsider, region="X")
    segment = services.segment_create(
        actor=marketer, data={"name": "X", "kind": "rules", "rules": [rule("region", "equals", "X")]}
    )
    body = api_client_for(manager).get(f"{URL}{segment.pk}/members/").json()
    names = [row["name"] for row in (body["results"] if isinstance(body, dict) else body)]
    assert names == ["Mine"]


def test_members_without_n_plus_1(api_client_for, marketer, django_assert_max_num_queries, db):
    for number in range(25):
        PartnerFactory(name=f"P{number}", region="X")
    segment = services.segment_create(
        actor=marketer, data={"name": "X", "kind": "rules", "rules": [rule("region", "equals", "X")]}
    )
    client = api_client_for(marketer)
    with django_assert_max_num_queries(10):
        assert client.get(f"{URL}{segment.pk}/members/").status_code == 200


def test_evaluate_now(api_client_for, marketer, rule_segment):
    PartnerFactory(name="Moscow Two", region="Moscow")
    response = api_client_for(marketer).post(f"{URL}{rule_segment.pk}/evaluate/")
    assert response.status_code == 200
    assert response.json()["member_count"] == 2


def test_evaluating_a_manual_segment_is_400(api_client_for, marketer, db):
    segment = services.segment_create(actor=marketer, data={"name": "L", "kind": "manual"})
    assert api_client_for(marketer).post(f"{URL}{segment.pk}/evaluate/").status_code == 400


def test_add_and_remove_members(api_client_for, marketer, db):
    one, two = PartnerFactory(), PartnerFactory()
    segment = services.segment_create(actor=marketer, data={"name": "L", "kind": "manual"}, partners=[one])
    client = api_client_for(marketer)
    response = client.post(
        f"{URL}{segment.pk}/members/", {"add": [two.pk], "remove": [one.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"added": 1, "removed": 1, "member_count": 1}
    assert list(segment.members.all()) == [two]


def test_members_of_a_rule_segment_are_not_changed_by_hand(api_client_for, marketer, rule_segment):
    other = PartnerFactory()
    response = api_client_for(marketer).post(
        f"{URL}{rule_segment.pk}/members/", {"add": [other.pk]}, format="json"
    )
    assert response.status_code == 400
    assert not SegmentMember.objects.filter(partner=other).exists()


def test_an_empty_change_is_400(api_client_for, marketer, db):
    segment = services.segment_create(actor=marketer, data={"name": "L", "kind": "manual"})
    assert api_client_for(marketer).post(f"{URL}{segment.pk}/members/", {}, format="json").status_code == 400


def test_a_manager_reads_but_does_not_change(api_client_for, manager, rule_segment):
    client = api_client_for(manager)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}{rule_segment.pk}/").status_code == 200
    assert client.post(URL, {"name": "Mine", "kind": "manual"}, format="json").status_code == 403
    assert client.post(f"{URL}{rule_segment.pk}/evaluate/").status_code == 403
    assert client.post(f"{URL}{rule_segment.pk}/members/", {"add": [1]}, format="json").status_code == 403
    assert client.delete(f"{URL}{rule_segment.pk}/").status_code == 403
    assert Segment.objects.filter(pk=rule_segment.pk).exists()


def test_delete(api_client_for, marketer, rule_segment):
    assert api_client_for(marketer).delete(f"{URL}{rule_segment.pk}/").status_code == 204
    assert not Segment.objects.exists()


def test_a_missing_segment_is_404(api_client_for, marketer, db):
    assert api_client_for(marketer).get(f"{URL}999999/members/").status_code == 404
