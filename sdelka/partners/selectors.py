"""Reads of partners and their records, always through the user's scope.

A record outside the scope is indistinguishable from a missing one: the getters raise ``DoesNotExist``
(the pages and the API answer 404), and the lists and counts simply do not include it.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.tree import TreeNode, build_tree
from sdelka.partners.choices import Country
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Tag


def partner_scope(user, *, prefix: str = "") -> Q:
    """The partners ``user`` may see and edit: their own and unassigned ones, a head's team's, or all."""
    covered = covered_user_ids(user)
    if covered is None:
        return Q()
    return Q(**{f"{prefix}manager__isnull": True}) | Q(**{f"{prefix}manager__in": covered})


def partner_list(*, user) -> QuerySet[Partner]:
    return (
        Partner.objects.filter(partner_scope(user))
        .select_related("group", "manager")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )


def partner_get(*, user, pk) -> Partner:
    return partner_list(user=user).get(pk=pk)


def counterparty_list(*, user) -> QuerySet[Counterparty]:
    return Counterparty.objects.filter(partner_scope(user, prefix="partner__")).select_related("partner")


def counterparty_get(*, user, pk) -> Counterparty:
    return counterparty_list(user=user).get(pk=pk)


def contact_person_list(*, user) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.filter(partner_scope(user, prefix="partner__")).select_related("partner")


def contact_person_get(*, user, pk) -> ContactPerson:
    return contact_person_list(user=user).get(pk=pk)


def individual_list(*, user) -> QuerySet[Individual]:
    return Individual.objects.all()


def partner_group_list() -> QuerySet[PartnerGroup]:
    return PartnerGroup.objects.all()


def partner_group_tree(*, user) -> list[TreeNode]:
    """Every partner group with the number of partners the user can see in it (and below it)."""
    counts = dict(
        Partner.objects.filter(partner_scope(user)).values_list("group").annotate(n=Count("id")).order_by()
    )
    return build_tree(PartnerGroup.objects.all(), counts)


def counterparty_duplicates(
    *, country: str, inn: str = "", bin: str = "", exclude_pk=None
) -> QuerySet[Counterparty]:
    """Counterparties (anyone's) with the same tax id; used to warn before a second one is created."""
    if country == Country.RUSSIA and inn:
        found = Counterparty.objects.filter(country=Country.RUSSIA, inn=inn)
    elif country == Country.KAZAKHSTAN and bin:
        found = Counterparty.objects.filter(country=Country.KAZAKHSTAN, bin=bin)
    else:
        return Counterparty.objects.none()
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.select_related("partner")
