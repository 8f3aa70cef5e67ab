"""The funnel board: one column per stage of a deal kind, with the deals in progress at that stage.

Included at ``/deals/board/`` as ``include("sdelka.deals.board")`` (namespace ``deals_board``). Cards are
dragged between columns by ``static/js/board.js``; every move goes through the deal services, so the kind's
process (a typical sale moves only to the next stage) and the version check apply as everywhere else.
Column counts and sums are computed by the database in one aggregate query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sdelka.accounts.permissions import role_can
from sdelka.accounts.selectors import covered_user_ids, user_list
from sdelka.deals import services
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal, DealKind, LostReason, Stage
from sdelka.deals.selectors import deal_kind_list, deal_scope, lost_reason_list
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

app_name = "deals_board"

HUNDRED = Decimal(100)
CENTS = Decimal("0.01")


@dataclass
class CurrencySum:
    currency: str
    total: Decimal
    weighted: Decimal


@dataclass
class Column:
    stage: Stage
    deals: list[Deal] = field(default_factory=list)
    count: int = 0
    sums: list[CurrencySum] = field(default_factory=list)


@dataclass
class BoardFilters:
    manager: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @classmethod
    def from_data(cls, data) -> BoardFilters:
        manager = str(data.get("manager") or "").strip()
        return cls(
            manager=int(manager) if manager.isdigit() else None,
            date_from=_date(data.get("date_from")),
            date_to=_date(data.get("date_to")),
        )

    def apply(self, deals: QuerySet[Deal]) -> QuerySet[Deal]:
        if self.manager:
            deals = deals.filter(manager_id=self.manager)
        if self.date_from:
            deals = deals.filter(start_date__gte=self.date_from)
        if self.date_to:
            deals = deals.filter(start_date__lte=self.date_to)
        return deals


def _date(value) -> datetime.date | None:
    try:
        return parse_date(str(value or "").strip())
    except ValueError:
        return None


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def board_kinds() -> list[DealKind]:
    """Active deal kinds that have stages (two queries: kinds and their stages)."""
    return [kind for kind in deal_kind_list(active_only=True) if kind.has_stages and kind.stages.all()]


def board_deals(*, user, kind: DealKind, filters: BoardFilters) -> QuerySet[Deal]:
    """The deals in progress of ``kind`` that ``user`` may see, filtered."""
    deals = Deal.objects.filter(
        deal_scope(user), kind=kind, status=DealStatus.IN_PROGRESS, closed=False, stage__isnull=False
    )
    return filters.apply(deals)


def board_columns(*, user, kind: DealKind, filters: BoardFilters) -> list[Column]:
    """A column per stage of ``kind`` with its cards, count and sums (per currency) — three queries in all."""
    deals = board_deals(user=user, kind=kind, filters=filters)
    columns = {stage.pk: Column(stage=stage) for stage in kind.stages.all()}
    weighted = ExpressionWrapper(
        F("expected_amount") * F("probability"), output_field=DecimalField(max_digits=20, decimal_places=2)
    )
    totals = (
        deals.order_by()
        .values("stage_id", "currency")
        .annotate(count=Count("id"), total=Sum("expected_amount"), weighted=Sum(weighted))
        .order_by("stage_id", "currency")
    )
    for row in totals:
        column = columns.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["count"]
        column.sums.append(
            CurrencySum(
                currency=row["currency"],
                total=Decimal(row["total"] or 0).quantize(CENTS),
                weighted=(Decimal(row["weighted"] or 0) / HUNDRED).quantize(CENTS),
            )
        )
    cards = deals.select_related("partner", "manager").order_by("-expected_amount", "-start_date", "-id")
    for deal in cards:
        column = columns.get(deal.stage_id)
        if column is not None:
            column.deals.append(deal)
    return list(columns.values())


def _board_context(request, *, kind_id=None) -> dict:
    kinds = board_kinds()
    wanted = _int(kind_id if kind_id is not None else request.GET.get("kind"))
    kind = next((k for k in kinds if k.pk == wanted), kinds[0] if kinds else None)
    filters = BoardFilters.from_data(request.GET)
    columns = board_columns(user=request.user, kind=kind, filters=filters) if kind else []
    return {
        "kinds": kinds,
        "kind": kind,
        "filters": filters,
        "columns": columns,
        "can_drag": role_can(request.user, "change", "deal"),
    }


def _managers(user) -> QuerySet:
    covered = covered_user_ids(user)
    users = user_list(active_only=True)
    return users if covered is None else users.filter(pk__in=covered)


@login_required
@require_GET
def board(request):
    context = _board_context(request)
    context["managers"] = _managers(request.user).order_by("last_name", "first_name", "username")
    if context["can_drag"]:
        context["lost_reasons"] = lost_reason_list(active_only=True)
        context["competitors"] = Partner.objects.filter(
            partner_scope(request.user), is_competitor=True
        ).order_by("name", "pk")
    template = "deals/partials/_board.html" if request.headers.get("HX-Request") else "deals/board.html"
    return render(request, template, context)


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _write(request, action) -> object:
    """Find the deal in the user's scope and run ``action(deal, version)``; answer the refreshed board fragment,
    or a JSON ``{"error": reason}`` (400 refused, 403 not allowed, 409 changed meanwhile)."""
    if not role_can(request.user, "change", "deal"):
        return _refused(_("Your role does not allow this action."), 403)
    deal_id = _int(request.POST.get("deal"))
    if deal_id is None:
        raise Http404
    try:
        deal = Deal.objects.filter(deal_scope(request.user)).get(pk=deal_id)
    except Deal.DoesNotExist as missing:
        raise Http404 from missing
    version = _int(request.POST.get("version"))
    try:
        action(deal, version)
    except services.DealVersionConflict as conflict:
        return _refused(str(conflict), 409)
    except ValidationError as error:
        return _refused(_message(error))
    except PermissionDenied as denied:
        return _refused(str(denied) or _("Your role does not allow this action."), 403)
    return render(request, "deals/partials/_board.html", _board_context(request, kind_id=deal.kind_id))


@login_required
@require_POST
def move(request):
    def action(deal, version):
        stage = Stage.objects.filter(pk=_int(request.POST.get("stage"))).first()
        if stage is None:
            raise ValidationError(_("Choose a stage."))
        services.deal_move_to_stage(actor=request.user, deal=deal, stage=stage, version=version)

    return _write(request, action)


@login_required
@require_POST
def win(request):
    def action(deal, version):
        services.deal_mark_won(actor=request.user, deal=deal, version=version)

    return _write(request, action)


@login_required
@require_POST
def lose(request):
    def action(deal, version):
        reason_id = _int(request.POST.get("lost_reason"))
        reason = LostReason.objects.filter(pk=reason_id).first() if reason_id else None
        competitor = None
        competitor_id = _int(request.POST.get("competitor"))
        if competitor_id:
            competitor = Partner.objects.filter(partner_scope(request.user), pk=competitor_id).first()
            if competitor is None:
                raise ValidationError(_("The competitor was not found."))
        services.deal_mark_lost(
            actor=request.user, deal=deal, version=version, lost_reason=reason, competitor=competitor
        )

    return _write(request, action)


urlpatterns = [
    path("", board, name="board"),
    path("move/", move, name="move"),
    path("win/", win, name="win"),
    path("lose/", lose, name="lose"),
]
