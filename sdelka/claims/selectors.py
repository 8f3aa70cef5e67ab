"""Reads of customer claims, always through the user's scope, and the claims report.

A claim is seen by its responsible and their head, and by whoever sees its partner (the partner's manager
and head; unassigned partners by every seller); marketers and administrators see all. The report is computed
by the database (counts, average settlement time), never by adding rows up in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from sdelka.accounts.selectors import covered_user_ids
from sdelka.catalog.models import Product
from sdelka.claims.choices import ClaimStatus
from sdelka.claims.models import Claim
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope


def claim_scope(user) -> Q:
    covered = covered_user_ids(user)
    if covered is None:
        return Q()
    partners = Partner.objects.filter(partner_scope(user)).values("pk")
    return Q(responsible__in=covered) | Q(partner__in=partners)


def claim_list(*, user) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(claim_scope(user))
        .select_related("partner", "counterparty", "sale", "sales_order", "deal", "responsible")
        .prefetch_related("products")
    )


def claim_get(*, user, pk) -> Claim:
    return claim_list(user=user).get(pk=pk)


def overdue_q(today=None) -> Q:
    """Not settled and past the deadline (the deadline day itself is still in time)."""
    return ~Q(status=ClaimStatus.SETTLED) & Q(deadline__lt=today or timezone.localdate())


@dataclass
class ClaimReport:
    total: int
    overdue: int
    by_status: list[dict]
    by_result: list[dict]
    by_partner: list[dict]
    by_product: list[dict]
    by_manager: list[dict]
    average_settlement_days: float | None


def _days(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


def claim_report(*, claims: QuerySet[Claim]) -> ClaimReport:
    """Figures of ``claims`` (already scoped and filtered): each a grouped query in the database."""
    ids = claims.order_by().values("pk")
    base = Claim.objects.filter(pk__in=ids).order_by()
    totals = base.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q()),
        average=Avg(
            ExpressionWrapper(F("settled_at") - F("registered_at"), output_field=DurationField()),
            filter=Q(status=ClaimStatus.SETTLED),
        ),
    )
    by_product = (
        Product.objects.filter(claims__in=ids)
        .values("pk", "name")
        .annotate(count=Count("claims"))
        .order_by("-count", "name", "pk")
    )
    return ClaimReport(
        total=totals["total"],
        overdue=totals["overdue"],
        by_status=list(base.values("status").annotate(count=Count("pk")).order_by("status")),
        by_result=list(
            base.exclude(result="").values("result").annotate(count=Count("pk")).order_by("result")
        ),
        by_partner=list(
            base.values("partner", "partner__name")
            .annotate(count=Count("pk"), open=Count("pk", filter=~Q(status=ClaimStatus.SETTLED)))
            .order_by("-count", "partner__name", "partner")
        ),
        by_product=list(by_product),
        by_manager=list(
            base.values(
                "responsible", "responsible__username", "responsible__first_name", "responsible__last_name"
            )
            .annotate(
                count=Count("pk"),
                settled=Count("pk", filter=Q(status=ClaimStatus.SETTLED)),
                overdue=Count("pk", filter=overdue_q()),
            )
            .order_by("-count", "responsible__username")
        ),
        average_settlement_days=_days(totals["average"]),
    )
