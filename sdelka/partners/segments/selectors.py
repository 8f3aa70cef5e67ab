"""Reads of segments: the list, the members a viewer may see, the segments of a partner, mailing recipients.

Segments themselves are shared by everyone; their members are partners, and a viewer sees only those in
their scope (``partner_scope``) — the stored ``member_count`` is the company-wide number.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from sdelka.partners.models import ContactPerson, Partner, Segment, SegmentMember
from sdelka.partners.selectors import partner_list, partner_scope


def segment_list() -> QuerySet[Segment]:
    return Segment.objects.select_related("created_by")


def segment_get(*, pk) -> Segment:
    return segment_list().get(pk=pk)


def segment_members(*, user, segment: Segment) -> QuerySet[Partner]:
    """The members of ``segment`` that ``user`` may see, with what a list shows (group, manager, tags)."""
    return partner_list(user=user).filter(
        Exists(SegmentMember.objects.filter(segment=segment, partner_id=OuterRef("pk")))
    )


def partner_segments(*, partner: Partner) -> QuerySet[Segment]:
    """The segments ``partner`` is a member of (as of each segment's last evaluation)."""
    return Segment.objects.filter(memberships__partner=partner).order_by("name")


def segment_recipients(segment: Segment, *, user=None) -> QuerySet[ContactPerson]:
    """Contact persons with at least one e-mail, of the partners in ``segment`` (for mass mailings).

    With ``user``, only those of partners in the user's scope.
    """
    contacts = (
        ContactPerson.objects.filter(
            Exists(SegmentMember.objects.filter(segment=segment, partner_id=OuterRef("partner_id")))
        )
        .exclude(emails=[])
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )
    if user is not None:
        contacts = contacts.filter(partner_scope(user, prefix="partner__"))
    return contacts
