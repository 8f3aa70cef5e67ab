"""Segment services: create, change, evaluate (in SQL, keeping members that still match), the hourly job,
manual lists, the segments of a partner and the recipients of a mailing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdelka.partners.models import Segment, SegmentKind, SegmentMember
from sdelka.partners.segments import selectors, services
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory
from sdelka.partners.tests.segment_world import TODAY, build_world


def rule(field, operator, value=None):
    return {"field": field, "operator": operator, "value": value}


def member_names(segment):
    return set(SegmentMember.objects.filter(segment=segment).values_list("partner__name", flat=True))


@pytest.fixture
def world(db):
    return build_world()


def test_a_rule_segment_is_evaluated_when_created(world, marketer):
    segment = services.segment_create(
        actor=marketer,
        data={"name": "Moscow", "kind": "rules", "rules": [rule("region", "contains", "moscow")]},
    )
    assert member_names(segment) == {"Alpha", "Beta", "Epsilon"}
    segment.refresh_from_db()
    assert segment.member_count == 3
    assert segment.evaluated_at is not None
    assert segment.created_by == marketer


def test_a_bad_rule_stores_nothing(world, marketer):
    with pytest.raises(ValidationError) as raised:
        services.segment_create(
            actor=marketer, data={"name": "Bad", "kind": "rules", "rules": [rule("region", "like", "x")]}
        )
    assert raised.value.message_dict["rules"][0].startswith("Condition 1:")
    assert not Segment.objects.exists()
    assert not SegmentMember.objects.exists()


def test_a_rule_segment_needs_a_condition(db, marketer):
    with pytest.raises(ValidationError, match="Add at least one condition"):
        services.segment_create(actor=marketer, data={"name": "Empty", "kind": "rules", "rules": []})


def test_a_manual_segment_has_no_rules(db, marketer):
    with pytest.raises(ValidationError, match="has no rules"):
        services.segment_create(
            actor=marketer, data={"name": "List", "kind": "manual", "rules": [rule("region", "equals", "x")]}
        )


def test_a_manager_may_not_create_segments(db, manager):
    with pytest.raises(PermissionDenied):
        services.segment_create(actor=manager, data={"name": "Mine", "kind": "manual"})


def test_re_evaluation_keeps_members_still_matching_and_replaces_the_rest(world, marketer):
    segment = services.segment_create(
        actor=marketer,
        data={"name": "Moscow", "kind": "rules", "rules": [rule("region", "contains", "moscow")]},
    )
    alpha_row = SegmentMember.objects.get(segment=segment, partner=world.partners["Alpha"])
    world.partners["Beta"].region = "Tver"
    world.partners["Beta"].save()
    world.partners["Gamma"].region = "Moscow"
    world.partners["Gamma"].save()
    assert services.segment_evaluate(segment=segment) == 3
    assert member_names(segment) == {"Alpha", "Gamma", "Epsilon"}
    assert SegmentMember.objects.get(segment=segment, partner=world.partners["Alpha"]).pk == alpha_row.pk


def test_changed_rules_are_evaluated_at_once(world, marketer):
    segment = services.segment_create(
        actor=marketer, data={"name": "S", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    services.segment_update(
        actor=marketer, segment=segment, data={"rules": [rule("kind", "in", ["company"])], "match": "all"}
    )
    assert member_names(segment) == {"Alpha", "Gamma", "Delta"}
    assert Segment.objects.get(pk=segment.pk).member_count == 3


def test_a_rule_segment_made_manual_keeps_its_members_as_a_list(world, marketer):
    segment = services.segment_create(
        actor=marketer, data={"name": "S", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    services.segment_update(actor=marketer, segment=segment, data={"kind": "manual"})
    segment.refresh_from_db()
    assert segment.rules == []
    assert member_names(segment) == {"Beta", "Epsilon"}


def test_evaluation_is_a_fixed_number_of_queries(world, marketer, django_assert_max_num_queries):
    segment = services.segment_create(
        actor=marketer, data={"name": "S", "kind": "rules", "rules": [rule("is_competitor", "is", False)]}
    )
    for number in range(30):
        PartnerFactory(name=f"More {number}")
    with django_assert_max_num_queries(12):
        services.segment_evaluate(segment=segment)
    assert Segment.objects.get(pk=segment.pk).member_count == 34


def test_the_hourly_job_re_evaluates_rule_segments(world, marketer):
    from sdelka.partners.jobs import evaluate_segments

    segment = services.segment_create(
        actor=marketer, data={"name": "Fresh", "kind": "rules", "rules": [rule("created", "last_days", 3)]}
    )
    manual = services.segment_create(actor=marketer, data={"name": "List", "kind": "manual"})
    # Three days later, Gamma (created 5 days before TODAY) and Epsilon (1 day) have aged out or in.
    now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10)))
    assert evaluate_segments(now) == {"segments": 1}
    assert member_names(segment) == {"Epsilon"}
    later = now + datetime.timedelta(days=3)
    evaluate_segments(later)
    assert member_names(segment) == set()
    assert Segment.objects.get(pk=manual.pk).evaluated_at is None


def test_the_job_is_registered_hourly():
    from sdelka.core.worker import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "segments")
    assert job.interval == datetime.timedelta(hours=1)


def test_partners_are_added_to_and_removed_from_a_manual_segment(world, marketer):
    alpha, beta = world.partners["Alpha"], world.partners["Beta"]
    segment = services.segment_create(
        actor=marketer, data={"name": "List", "kind": "manual"}, partners=[alpha]
    )
    assert services.segment_add_partners(actor=marketer, segment=segment, partners=[alpha, beta]) == 1
    assert Segment.objects.get(pk=segment.pk).member_count == 2
    assert services.segment_remove_partners(actor=marketer, segment=segment, partners=[alpha]) == 1
    assert member_names(segment) == {"Beta"}
    assert Segment.objects.get(pk=segment.pk).member_count == 1


def test_a_rule_segment_refuses_hand_changes(world, marketer):
    segment = services.segment_create(
        actor=marketer, data={"name": "S", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    with pytest.raises(ValidationError, match="come from its rules"):
        services.segment_add_partners(actor=marketer, segment=segment, partners=[world.partners["Alpha"]])


def test_a_manual_segment_is_not_evaluated(db, marketer):
    segment = services.segment_create(actor=marketer, data={"name": "List", "kind": "manual"})
    with pytest.raises(ValidationError):
        services.segment_evaluate_now(actor=marketer, segment=segment)


def test_segments_of_a_partner(world, marketer):
    alpha = world.partners["Alpha"]
    services.segment_create(actor=marketer, data={"name": "B list", "kind": "manual"}, partners=[alpha])
    services.segment_create(
        actor=marketer, data={"name": "A rules", "kind": "rules", "rules": [rule("kind", "in", ["company"])]}
    )
    services.segment_create(
        actor=marketer, data={"name": "People", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    assert [s.name for s in selectors.partner_segments(partner=alpha)] == ["A rules", "B list"]


def test_members_are_those_the_viewer_sees(db, marketer, manager, outsider):
    mine, theirs, nobodys = (
        PartnerFactory(manager=manager),
        PartnerFactory(manager=outsider),
        PartnerFactory(),
    )
    segment = services.segment_create(
        actor=marketer, data={"name": "L", "kind": "manual"}, partners=[mine, theirs, nobodys]
    )
    assert set(selectors.segment_members(user=manager, segment=segment)) == {mine, nobodys}
    assert set(selectors.segment_members(user=marketer, segment=segment)) == {mine, theirs, nobodys}


def test_recipients_are_contacts_with_an_e_mail_of_the_members(db, marketer, manager, outsider):
    member, other_member, outside = (
        PartnerFactory(manager=manager),
        PartnerFactory(manager=outsider),
        PartnerFactory(),
    )
    with_email = ContactPersonFactory(partner=member, emails=["a@example.com"])
    ContactPersonFactory(partner=member, emails=[])
    foreign = ContactPersonFactory(partner=other_member, emails=["b@example.com"])
    ContactPersonFactory(partner=outside, emails=["c@example.com"])
    segment = services.segment_create(
        actor=marketer, data={"name": "L", "kind": "manual"}, partners=[member, other_member]
    )
    assert set(selectors.segment_recipients(segment)) == {with_email, foreign}
    assert set(selectors.segment_recipients(segment, user=manager)) == {with_email}


def test_deleting_a_segment_deletes_its_members_not_the_partners(world, marketer):
    segment = services.segment_create(
        actor=marketer, data={"name": "S", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    services.segment_delete(actor=marketer, segment=segment)
    assert not SegmentMember.objects.exists()
    assert world.partners["Beta"].__class__.objects.count() == 5


def test_segment_kind_choices_are_the_models():
    assert set(SegmentKind.values) == {"manual", "rules"}


def test_one_broken_segment_does_not_stop_the_others(world, marketer):
    good = services.segment_create(
        actor=marketer, data={"name": "Good", "kind": "rules", "rules": [rule("kind", "in", ["person"])]}
    )
    broken = services.segment_create(
        actor=marketer, data={"name": "Broken", "kind": "rules", "rules": [rule("kind", "in", ["company"])]}
    )
    Segment.objects.filter(pk=broken.pk).update(rules=[rule("no_such_field", "is", True)])
    world.partners["Alpha"].kind = "person"
    world.partners["Alpha"].save()
    assert services.segments_evaluate_all(today=TODAY) == 1
    assert member_names(good) == {"Alpha", "Beta", "Epsilon"}
    assert member_names(broken) == {"Alpha", "Gamma", "Delta"}  # the last good evaluation stays


def test_a_segment_with_mailings_is_not_deleted(db, marketer):
    from sdelka.interactions.models import EmailTemplate
    from sdelka.marketing.mailing_models import Mailing

    segment = services.segment_create(actor=marketer, data={"name": "List", "kind": "manual"})
    template = EmailTemplate.objects.create(name="News", subject="News", body="Hello")
    Mailing.objects.create(name="Spring news", email_template=template, segment=segment)
    with pytest.raises(ValidationError, match="Mailings are sent to this segment"):
        services.segment_delete(actor=marketer, segment=segment)
    assert Segment.objects.filter(pk=segment.pk).exists()
