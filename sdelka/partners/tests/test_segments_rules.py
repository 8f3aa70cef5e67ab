"""Segment rules: each condition against hand-computed members, AND/OR, validation, and a property test that
the database evaluation equals reading the rules over the partners in Python."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdelka.partners.models import Partner
from sdelka.partners.segments.rules import segment_rules_clean, segment_rules_q
from sdelka.partners.tests.segment_world import TODAY, build_world, python_members


@pytest.fixture
def world(db):
    return build_world()


def members(world, rules, match="all"):
    query = segment_rules_q(segment_rules_clean(rules), match, today=TODAY)
    return world.names(Partner.objects.filter(query))


def rule(field, operator, value=None):
    return {"field": field, "operator": operator, "value": value}


CASES = [
    # (field, operator, value or a function of the world, expected members)
    ("group", "in", lambda w: [w.groups["root"].pk], {"Alpha", "Beta", "Epsilon"}),
    ("group", "in", lambda w: [w.groups["child"].pk], {"Alpha", "Epsilon"}),
    ("group", "in", lambda w: [w.groups["child"].pk, w.groups["other"].pk], {"Alpha", "Epsilon", "Gamma"}),
    ("group", "is_empty", None, {"Delta"}),
    ("manager", "in", lambda w: [w.users["m1"].pk], {"Alpha", "Delta"}),
    ("manager", "is_empty", None, {"Gamma", "Epsilon"}),
    ("is_client", "is", True, {"Alpha", "Beta"}),
    ("is_supplier", "is", True, {"Beta", "Gamma"}),
    ("is_competitor", "is", False, {"Alpha", "Beta", "Gamma", "Epsilon"}),
    ("is_other", "is", True, {"Epsilon"}),
    ("kind", "in", ["person"], {"Beta", "Epsilon"}),
    ("region", "equals", "moscow", {"Alpha", "Epsilon"}),
    ("region", "contains", "Moscow", {"Alpha", "Beta", "Epsilon"}),
    ("tags", "any", lambda w: [w.tags["vip"].pk], {"Alpha", "Delta"}),
    ("tags", "any", lambda w: [w.tags["tender"].pk], {"Beta", "Delta"}),
    ("created", "before", "2026-01-10", {"Beta"}),
    ("created", "after", "2026-03-01", {"Gamma", "Epsilon"}),
    ("created", "between", ["2026-01-10", "2026-03-01"], {"Alpha", "Delta"}),
    ("created", "last_days", 5, {"Gamma", "Epsilon"}),
    ("interest_channel", "in", lambda w: [w.channels["root"].pk], {"Alpha", "Beta"}),
    ("interest_channel", "is_empty", None, {"Gamma", "Epsilon"}),
    # Last 30 days: Alpha 1000 + 500; Delta 200 − 50 (a return); Epsilon bought in April.
    ("sales_revenue", "gte", {"amount": "500", "days": 30}, {"Alpha"}),
    ("sales_revenue", "lte", {"amount": "150", "days": 30}, {"Beta", "Gamma", "Delta", "Epsilon"}),
    ("sales_revenue", "gte", {"amount": "1", "from": "2025-01-01", "to": "2025-12-31"}, {"Beta"}),
    # Gross profit this half-year: Alpha 400 + 400, Delta 150, Epsilon 100.
    ("sales_gross_profit", "gte", {"amount": "500", "from": "2026-01-01", "to": "2026-06-30"}, {"Alpha"}),
    ("sales_gross_profit", "gte", {"amount": "100", "days": 180}, {"Alpha", "Delta", "Epsilon"}),
    # Sale documents in the last 30 days: Alpha two sales, Delta a sale and a return.
    ("sales_count", "gte", {"amount": 2, "days": 30}, {"Alpha", "Delta"}),
    ("sales_count", "lte", {"amount": 0, "days": 30}, {"Beta", "Gamma", "Epsilon"}),
    ("last_purchase", "more_than", 30, {"Beta", "Epsilon"}),
    ("last_purchase", "more_than_or_never", 30, {"Beta", "Gamma", "Epsilon"}),
    ("last_purchase", "never", None, {"Gamma"}),
    ("abc_class", "in_quarter", ["A"], {"Alpha"}),
    ("abc_class", "in_quarter", ["B", "C"], {"Beta", "Delta"}),
    ("abc_class", "in_month", ["A"], {"Alpha"}),
    ("abc_class", "in_year", ["A"], set()),
    ("xyz_class", "in_quarter", ["Z"], {"Beta"}),
    ("relationship_stage", "in_quarter", ["lost", "one_time"], {"Beta", "Delta"}),
    ("has_email_contact", "is", True, {"Alpha", "Gamma"}),
    ("has_email_contact", "is", False, {"Beta", "Delta", "Epsilon"}),
]


@pytest.mark.parametrize(("field", "operator", "value", "expected"), CASES)
def test_each_condition_finds_the_hand_computed_partners(world, field, operator, value, expected):
    value = value(world) if callable(value) else value
    assert members(world, [rule(field, operator, value)]) == expected


def test_all_conditions_must_hold_with_and(world):
    rules = [rule("region", "contains", "moscow"), rule("is_client", "is", True)]
    assert members(world, rules, "all") == {"Alpha", "Beta"}


def test_any_condition_is_enough_with_or(world):
    rules = [rule("kind", "in", ["person"]), rule("last_purchase", "never")]
    assert members(world, rules, "any") == {"Beta", "Gamma", "Epsilon"}


def test_no_rules_mean_everyone_with_and_and_no_one_with_or(world):
    assert members(world, [], "all") == set(world.partners)
    assert members(world, [], "any") == set()


def test_evaluation_is_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    rules = segment_rules_clean(
        [
            rule("sales_revenue", "gte", {"amount": "1", "days": 30}),
            rule("abc_class", "in_quarter", ["A"]),
            rule("has_email_contact", "is", True),
            rule("last_purchase", "more_than", 10),
        ]
    )
    query = segment_rules_q(rules, "any", today=TODAY)
    with django_assert_max_num_queries(1):
        list(Partner.objects.filter(query).values_list("pk", flat=True))


# --- validation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([rule("colour", "is", True)], "Condition 1: unknown field “colour”."),
        ([rule("region", "contains", "x"), rule("region", "like", "x")], "Condition 2: the field “Region” has no operator “like”"),
        ([rule("is_client", "is", "yes")], "Condition 1: the value must be true or false."),
        ([rule("kind", "in", ["robot"])], "Condition 1: unknown value robot; allowed: company, person."),
        ([rule("group", "in", [999999])], "Condition 1: no record with id 999999."),
        ([rule("group", "in", [])], "Condition 1: choose at least one value."),
        ([rule("created", "before", "31.12.2026")], "Condition 1: the value must be a date (YYYY-MM-DD)."),
        ([rule("created", "between", ["2026-02-01", "2026-01-01"])], "Condition 1: the first date is after the second."),
        ([rule("created", "last_days", -1)], "Condition 1: the number of days must be from 0 to"),
        ([rule("last_purchase", "never", 5)], "Condition 1: this operator takes no value."),
        ([rule("sales_revenue", "gte", {"amount": "lots", "days": 30})], "Condition 1: the amount must be a number."),
        ([rule("sales_revenue", "gte", {"amount": "1", "days": 30, "from": "2026-01-01", "to": "2026-02-01"})],
         "Condition 1: give the period either as a number of days or as two dates"),
        ([rule("sales_count", "gte", {"amount": "1.5", "days": 30})], "Condition 1: the number of sale documents must be a whole number."),
        ([rule("abc_class", "in_quarter", ["D"])], "Condition 1: unknown value D"),
        (["region"], "Condition 1: a condition is an object"),
        ([{"field": "region", "operator": "equals", "value": "x", "extra": 1}], "Condition 1: unknown key extra."),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_naming_its_number_and_problem(db, rules, message):
    with pytest.raises(ValidationError) as raised:
        segment_rules_clean(rules)
    assert any(text.startswith(message) for text in raised.value.message_dict["rules"]), raised.value.messages


def test_every_bad_rule_is_reported_at_once(db):
    with pytest.raises(ValidationError) as raised:
        segment_rules_clean([rule("nope", "is", 1), rule("region", "equals", "x"), rule("kind", "in", [])])
    assert [text.split(":")[0] for text in raised.value.message_dict["rules"]] == [
        "Condition 1",
        "Condition 3",
    ]


def test_rules_are_stored_in_a_normal_form(db):
    cleaned = segment_rules_clean(
        [
            rule("region", "equals", "  Kazan "),
            rule("sales_revenue", "gte", {"amount": "1000,50", "days": "30"}),
            rule("kind", "in", ["person", "company"]),
        ]
    )
    assert cleaned == [
        rule("region", "equals", "Kazan"),
        rule("sales_revenue", "gte", {"amount": "1000.5", "days": 30}),
        rule("kind", "in", ["company", "person"]),
    ]


# --- the database agrees with Python ---------------------------------------------------------------------------


def rule_strategy(world):
    group_ids = st.lists(st.sampled_from([g.pk for g in world.groups.values()]), min_size=1, max_size=2)
    channel_ids = st.lists(st.sampled_from([c.pk for c in world.channels.values()]), min_size=1, max_size=2)
    user_ids = st.lists(st.sampled_from([u.pk for u in world.users.values()]), min_size=1, max_size=2)
    tag_ids = st.lists(st.sampled_from([t.pk for t in world.tags.values()]), min_size=1, max_size=2)
    days = st.integers(min_value=0, max_value=400)
    dates = st.dates(min_value=TODAY.replace(year=2025), max_value=TODAY).map(lambda d: d.isoformat())
    amount = st.integers(min_value=-100, max_value=2000).map(str)
    period = st.one_of(
        days.map(lambda n: {"days": n}),
        st.tuples(dates, dates).map(lambda pair: {"from": min(pair), "to": max(pair)}),
    )
    sales = st.tuples(amount, period).map(lambda pair: {"amount": pair[0], **pair[1]})
    flag = st.sampled_from(["is_client", "is_supplier", "is_competitor", "is_other", "has_email_contact"])
    return st.one_of(
        group_ids.map(lambda v: rule("group", "in", v)),
        st.just(rule("group", "is_empty")),
        user_ids.map(lambda v: rule("manager", "in", v)),
        st.just(rule("manager", "is_empty")),
        st.tuples(flag, st.booleans()).map(lambda p: rule(p[0], "is", p[1])),
        st.lists(st.sampled_from(["company", "person"]), min_size=1).map(lambda v: rule("kind", "in", v)),
        st.tuples(st.sampled_from(["equals", "contains"]), st.sampled_from(["moscow", "Moscow region", "kaz", "a"]))
        .map(lambda p: rule("region", p[0], p[1])),
        tag_ids.map(lambda v: rule("tags", "any", v)),
        st.tuples(st.sampled_from(["before", "after"]), dates).map(lambda p: rule("created", p[0], p[1])),
        st.tuples(dates, dates).map(lambda p: rule("created", "between", sorted(p))),
        days.map(lambda n: rule("created", "last_days", n)),
        channel_ids.map(lambda v: rule("interest_channel", "in", v)),
        st.just(rule("interest_channel", "is_empty")),
        st.tuples(st.sampled_from(["sales_revenue", "sales_gross_profit", "sales_count"]),
                  st.sampled_from(["gte", "lte"]), sales).map(lambda p: rule(*p)),
        st.tuples(st.sampled_from(["more_than", "more_than_or_never"]), days).map(lambda p: rule("last_purchase", *p)),
        st.just(rule("last_purchase", "never")),
        st.tuples(st.sampled_from(["abc_class", "xyz_class", "relationship_stage"]),
                  st.sampled_from(["in_quarter", "in_month"])).flatmap(
            lambda p: st.lists(
                st.sampled_from({"abc_class": ["A", "B", "C"], "xyz_class": ["X", "Y", "Z"],
                                 "relationship_stage": ["potential", "one_time", "regular", "lost"]}[p[0]]),
                min_size=1,
            ).map(lambda v: rule(p[0], p[1], v))
        ),
    )  # fmt: skip


@pytest.mark.django_db
def test_database_evaluation_equals_filtering_in_python(world):
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def check(data):
        rules = data.draw(st.lists(rule_strategy(world), max_size=4))
        match = data.draw(st.sampled_from(["all", "any"]))
        cleaned = segment_rules_clean(rules)
        assert members(world, cleaned, match) == python_members(world, cleaned, match), (rules, match)

    check()
