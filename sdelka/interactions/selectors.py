"""Reads of interactions, always through the user's scope.

A user sees the interactions they (or, for a head, their team) are responsible for, and those of the
partners and deals they see. Anything else is indistinguishable from a missing record (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sdelka.accounts.selectors import covered_user_ids
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.interactions.models import Interaction
from sdelka.partners.models import ContactPerson, Partner
from sdelka.partners.selectors import partner_scope

# A chain is followed this far each way; deeper links are not shown (and cycles cannot loop forever).
CHAIN_DEPTH = 50


def interaction_scope(user) -> Q:
    covered = covered_user_ids(user)
    if covered is None:
        return Q()
    partners = Partner.objects.filter(partner_scope(user)).values("pk")
    deals = Deal.objects.filter(deal_scope(user)).values("pk")
    return Q(responsible__in=covered) | Q(partner__in=partners) | Q(deal__in=deals)


def interaction_list(*, user) -> QuerySet[Interaction]:
    return (
        Interaction.objects.filter(interaction_scope(user))
        .select_related("partner", "responsible", "deal", "subject_type", "attached_quote")
        .prefetch_related(Prefetch("contacts", queryset=ContactPerson.objects.order_by("name", "id")))
    )


def interaction_get(*, user, pk) -> Interaction:
    return interaction_list(user=user).get(pk=pk)


def to_review_list(*, user) -> QuerySet[Interaction]:
    """The user's own interactions waiting to be reviewed: not reviewed, and due (no date or a date reached)."""
    today = timezone.localdate()
    return (
        interaction_list(user=user)
        .filter(responsible=user, reviewed=False)
        .filter(Q(review_after__isnull=True) | Q(review_after__lte=today))
    )


@dataclass
class ChainLink:
    interaction: Interaction
    depth: int


@dataclass
class Chain:
    """What the interaction answers (oldest first) and what answers it (a tree, flattened with depths)."""

    ancestors: list[Interaction]
    replies: list[ChainLink]

    @property
    def is_empty(self) -> bool:
        return not self.ancestors and not self.replies


def interaction_chain(*, user, interaction: Interaction) -> Chain:
    """The chain through ``subject`` both ways, within the user's scope: one query per level."""
    from sdelka.interactions.subjects import content_type_of

    content_type = content_type_of("interaction")
    visible = interaction_list(user=user)
    ancestors: list[Interaction] = []
    seen = {interaction.pk}
    current = interaction
    for _level in range(CHAIN_DEPTH):
        if current.subject_type_id != content_type.pk or current.subject_id in seen:
            break
        parent = visible.filter(pk=current.subject_id).first()
        if parent is None:
            break
        ancestors.insert(0, parent)
        seen.add(parent.pk)
        current = parent
    children: dict[int, list[Interaction]] = {}
    level = [interaction.pk]
    for _level in range(CHAIN_DEPTH):
        found = list(
            visible.filter(subject_type=content_type, subject_id__in=level)
            .exclude(pk__in=seen)
            .order_by("starts_at", "id")
        )
        if not found:
            break
        for reply in found:
            children.setdefault(reply.subject_id, []).append(reply)
            seen.add(reply.pk)
        level = [reply.pk for reply in found]
    replies: list[ChainLink] = []

    def walk(pk: int, depth: int) -> None:
        for reply in children.get(pk, []):
            replies.append(ChainLink(reply, depth))
            walk(reply.pk, depth + 1)

    walk(interaction.pk, 1)
    return Chain(ancestors=ancestors, replies=replies)


def subject_of(*, user, interaction: Interaction):
    """The interaction's subject if the user sees it, else None."""
    from sdelka.interactions.subjects import find_subject, key_of_content_type

    key = key_of_content_type(interaction.subject_type_id)
    if key is None:
        return None
    return find_subject(user=user, key=key, pk=interaction.subject_id)
