"""Writes of segments: create, change, delete, evaluate a rule segment, add and remove partners of a list.

A rule segment's members are replaced by each evaluation, in the database: the partners no longer matching
are deleted with one statement, the new ones inserted in chunks from a list of ids (never whole partners);
members still matching keep their row and the moment they were added.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.partners.models import Partner, Segment, SegmentKind, SegmentMatch, SegmentMember
from sdelka.partners.segments.rules import segment_rules_clean, segment_rules_q

logger = logging.getLogger(__name__)

SEGMENT_FIELDS = ("name", "description", "kind", "match", "rules")
INSERT_CHUNK = 2000


def _check_rules(segment: Segment) -> None:
    if segment.kind == SegmentKind.MANUAL:
        if segment.rules:
            raise ValidationError({"rules": [_("A segment kept by hand has no rules; make it “by rules”.")]})
        return
    segment.rules = segment_rules_clean(segment.rules)
    if not segment.rules:
        raise ValidationError({"rules": [_("Add at least one condition.")]})
    if segment.match not in SegmentMatch.values:
        raise ValidationError({"match": [_("Choose how the conditions combine: all or any.")]})


@transaction.atomic
def segment_create(*, actor, data: dict, partners: Iterable[Partner] = ()) -> Segment:
    """A new segment; a rule segment is evaluated at once, a manual one starts with ``partners``."""
    ensure_role_can(actor, "add", "segment")
    segment = Segment(created_by=actor if isinstance(actor, User) else None)
    model_assign(segment, data, SEGMENT_FIELDS)
    _check_rules(segment)
    validate_and_save(segment, actor=actor)
    if segment.kind == SegmentKind.RULES:
        segment_evaluate(segment=segment)
    else:
        _add(segment, [partner.pk for partner in partners])
    return segment


@transaction.atomic
def segment_update(*, actor, segment: Segment, data: dict) -> Segment:
    """Change a segment; changed rules (or a list turned into rules) are evaluated at once.

    A rule segment made manual keeps its last members as its list.
    """
    ensure_role_can(actor, "change", "segment")
    if data.get("kind") == SegmentKind.MANUAL and "rules" not in data:
        data = {**data, "rules": []}
    changed = model_assign(segment, data, SEGMENT_FIELDS)
    _check_rules(segment)
    if changed:
        validate_and_save(segment, actor=actor)
    if segment.kind == SegmentKind.RULES and {"kind", "match", "rules"} & set(changed):
        segment_evaluate(segment=segment)
    return segment


@transaction.atomic
def segment_delete(*, actor, segment: Segment) -> None:
    ensure_role_can(actor, "delete", "segment")
    segment._history_user = actor
    try:
        segment.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("Mailings are sent to this segment; delete them first, or keep the segment.")
        ) from error


def _refresh_count(segment: Segment, *, evaluated: bool = False) -> None:
    segment.member_count = SegmentMember.objects.filter(segment=segment).count()
    fields = ["member_count"]
    if evaluated:
        segment.evaluated_at = timezone.now()
        fields.append("evaluated_at")
    # The count and the moment are not history: a plain update, not a new historical row.
    Segment.objects.filter(pk=segment.pk).update(**{name: getattr(segment, name) for name in fields})


def _add(segment: Segment, ids: Iterable[int]) -> int:
    present = set(SegmentMember.objects.filter(segment=segment).values_list("partner_id", flat=True))
    new = [pk for pk in dict.fromkeys(ids) if pk not in present]
    for start in range(0, len(new), INSERT_CHUNK):
        SegmentMember.objects.bulk_create(
            [SegmentMember(segment=segment, partner_id=pk) for pk in new[start : start + INSERT_CHUNK]]
        )
    _refresh_count(segment)
    return len(new)


@transaction.atomic
def segment_evaluate(*, segment: Segment, today=None) -> int:
    """Replace the members of a rule segment with the partners its rules find now; returns their number."""
    if segment.kind != SegmentKind.RULES:
        raise ValidationError(_("Only a segment by rules is evaluated; add partners to a list by hand."))
    matching = Partner.objects.filter(segment_rules_q(segment.rules, segment.match, today=today))
    members = SegmentMember.objects.filter(segment=segment)
    members.exclude(partner_id__in=matching.values("pk")).delete()
    new_ids = (
        matching.exclude(pk__in=members.values("partner_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=INSERT_CHUNK)
    )
    chunk: list[SegmentMember] = []
    for pk in new_ids:
        chunk.append(SegmentMember(segment=segment, partner_id=pk))
        if len(chunk) >= INSERT_CHUNK:
            SegmentMember.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        SegmentMember.objects.bulk_create(chunk)
    _refresh_count(segment, evaluated=True)
    return segment.member_count


def segment_evaluate_now(*, actor, segment: Segment) -> int:
    """ "Evaluate now" on a user's request."""
    ensure_role_can(actor, "change", "segment")
    return segment_evaluate(segment=segment)


def segments_evaluate_all(*, today=None) -> int:
    """Re-evaluate every rule segment (the worker's hourly job); each in its own transaction."""
    count = 0
    for segment in Segment.objects.filter(kind=SegmentKind.RULES).order_by("pk"):
        try:
            segment_evaluate(segment=segment, today=today)
        except Exception:
            # One broken segment must not keep the others stale; it keeps its last members.
            logger.exception("Segment %s could not be evaluated", segment.pk)
            continue
        count += 1
    return count


def _only_manual(segment: Segment) -> None:
    if segment.kind != SegmentKind.MANUAL:
        raise ValidationError(
            _("The members of a segment by rules come from its rules; change the rules, or make it a list.")
        )


@transaction.atomic
def segment_add_partners(*, actor, segment: Segment, partners: Iterable[Partner]) -> int:
    """Add partners to a manual segment; those in it already are skipped. Returns how many were added."""
    ensure_role_can(actor, "change", "segment")
    _only_manual(segment)
    return _add(segment, [partner.pk for partner in partners])


@transaction.atomic
def segment_remove_partners(*, actor, segment: Segment, partners: Iterable[Partner]) -> int:
    """Remove partners from a manual segment. Returns how many were removed."""
    ensure_role_can(actor, "change", "segment")
    _only_manual(segment)
    removed, _detail = SegmentMember.objects.filter(
        segment=segment, partner_id__in=[partner.pk for partner in partners]
    ).delete()
    _refresh_count(segment)
    return removed
