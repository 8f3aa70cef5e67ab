"""Pages of segments: the list, the form with the rule builder (rows added, removed and re-drawn by htmx),
the segment with its members, "evaluate now", adding and removing partners of a list, delete.

Everyone reads segments; marketers, heads and administrators change them (``RULES["segment"]``). The
members shown are those the viewer may see; a partner outside their scope cannot be added or removed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.views import apply_sort, ensure_role, paginate
from sdelka.partners.models import Segment, SegmentKind
from sdelka.partners.segments import rules as segment_rules
from sdelka.partners.segments import selectors, services
from sdelka.partners.segments.forms import PICK_OPTIONS, PartnersPickForm, SegmentForm, row_indexes, row_rule
from sdelka.partners.selectors import partner_list

SEGMENT_SORTS = {
    "name": ("name",),
    "kind": ("kind",),
    "members": ("member_count",),
    "evaluated": ("evaluated_at",),
}
MEMBER_SORTS = {"name": ("name",), "region": ("region",)}


def _segment_or_404(pk) -> Segment:
    try:
        return selectors.segment_get(pk=pk)
    except Segment.DoesNotExist as error:
        raise Http404 from error


@login_required
def segment_list(request):
    ensure_role(request.user, "view", "segment")
    segments, sort = apply_sort(selectors.segment_list(), request.GET.get("sort"), SEGMENT_SORTS, "name")
    context = {
        "page": paginate(segments, request.GET.get("page")),
        "sort": sort,
        "can_add": role_can(request.user, "add", "segment"),
    }
    return render(request, "partners/segments/segment_list.html", context)


# --- the rule builder -----------------------------------------------------------------------------------------


def _options(field: segment_rules.ConditionField, selected) -> list[dict]:
    chosen = {str(item) for item in (selected or [])} if isinstance(selected, list) else set()
    if isinstance(field.source, str):
        records = segment_rules.id_source_queryset(field.source)
        if field.source == "user":
            records = records.filter(is_active=True) | records.filter(
                pk__in=[c for c in chosen if c.isdigit()]
            )
            records = records.order_by("last_name", "first_name", "username")
        elif field.source in ("partner_group", "ad_channel"):
            records = records.order_by("path")
        picked = list(records[:PICK_OPTIONS])
        pairs = [
            (str(r.pk), ("\u00a0\u00a0" * getattr(r, "depth", 0)) + str(getattr(r, "name", "") or r))
            for r in picked
        ]
    else:
        pairs = [(str(code), str(label)) for code, label in segment_rules.choice_list(field)]
    return [{"value": value, "label": label, "selected": value in chosen} for value, label in pairs]


def rule_row_context(index: int, rule: dict) -> dict:
    """What the row template needs: the fields, the operators of the chosen field, and the value widget."""
    field = segment_rules.FIELDS_BY_CODE.get(rule.get("field")) or segment_rules.FIELDS[0]
    operator = field.operator(rule.get("operator")) or field.operators[0]
    value = (
        rule.get("value")
        if rule.get("field") == field.code and rule.get("operator") == operator.code
        else None
    )
    row = {
        "index": index,
        "fields": [(item.code, item.label) for item in segment_rules.FIELDS],
        "field": field.code,
        "operators": [(item.code, item.label) for item in field.operators],
        "operator": operator.code,
        "value_type": operator.value_type,
        "value": value,
    }
    if operator.value_type in (segment_rules.IDS, segment_rules.CHOICES):
        row["options"] = _options(field, value)
    if operator.value_type == segment_rules.DATES and isinstance(value, list) and len(value) == 2:
        row["start"], row["end"] = value
    if operator.value_type == segment_rules.SALES and isinstance(value, dict):
        row.update(
            amount=value.get("amount", ""),
            days=value.get("days", ""),
            start=value.get("from", ""),
            end=value.get("to", ""),
            period="range" if "from" in value else "days",
        )
    return row


@require_GET
@login_required
def rule_row(request):
    """One row of the builder: a new one (``add``: after the rows sent along), or a row re-drawn after its field
    or operator changed (the value widget follows them)."""
    ensure_role(request.user, "view", "segment")
    if request.GET.get("remove"):
        return HttpResponse("")  # the row is swapped out ("delete"): nothing to draw
    indexes = row_indexes(request.GET)
    if request.GET.get("add") or not indexes:
        index = max(indexes, default=-1) + 1
        rule = {"field": request.GET.get("field", "")}
    else:
        index = int(request.GET.get("index", indexes[0]))
        rule = row_rule(request.GET, index)
        rule["operator"] = request.GET.get(f"rule-{index}-operator", "")
    return render(
        request, "partners/segments/partials/_rule_row.html", {"row": rule_row_context(index, rule)}
    )


def _segment_form_page(request, *, segment: Segment | None):
    form = SegmentForm(request.POST or None, instance=segment)
    if request.method == "POST":
        from sdelka.partners.segments.forms import rules_from_post

        rules = rules_from_post(request.POST)
    else:
        rules = list(segment.rules) if segment else [{"field": "region", "operator": "contains", "value": ""}]
    if request.method == "POST" and form.is_valid():
        data = {
            **form.service_data(),
            "rules": rules if form.cleaned_data["kind"] == SegmentKind.RULES else [],
        }
        try:
            if segment is None:
                saved = services.segment_create(actor=request.user, data=data)
            else:
                saved = services.segment_update(actor=request.user, segment=segment, data=data)
        except ValidationError as error:
            if segment is not None:
                segment.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Segment “%(name)s” saved: %(count)d partners.")
                % {"name": saved.name, "count": saved.member_count},
            )
            return redirect("segments:segment_detail", pk=saved.pk)
    context = {
        "form": form,
        "segment": segment,
        "rows": [rule_row_context(index, rule) for index, rule in enumerate(rules)],
        "history": history_for(segment) if segment else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/segments/segment_form.html", context, status=status)


@login_required
def segment_create(request):
    ensure_role(request.user, "add", "segment")
    return _segment_form_page(request, segment=None)


@login_required
def segment_edit(request, pk: int):
    ensure_role(request.user, "change", "segment")
    return _segment_form_page(request, segment=_segment_or_404(pk))


# --- one segment ------------------------------------------------------------------------------------------------


@login_required
def segment_detail(request, pk: int):
    ensure_role(request.user, "view", "segment")
    segment = _segment_or_404(pk)
    members, sort = apply_sort(
        selectors.segment_members(user=request.user, segment=segment),
        request.GET.get("sort"),
        MEMBER_SORTS,
        "name",
    )
    can_change = role_can(request.user, "change", "segment")
    context = {
        "segment": segment,
        "page": paginate(members, request.GET.get("page")),
        "sort": sort,
        "rules": [segment_rules.describe_rule(rule) for rule in segment.rules],
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "segment"),
        "query": QueryDict(mutable=True),
    }
    if can_change and segment.kind == SegmentKind.MANUAL:
        candidates = (
            partner_list(user=request.user)
            .prefetch_related(None)
            .exclude(segment_memberships__segment=segment)
        )
        context["add_form"] = PartnersPickForm(partners=candidates)
    return render(request, "partners/segments/segment_detail.html", context)


@require_POST
@login_required
def segment_evaluate(request, pk: int):
    ensure_role(request.user, "change", "segment")
    segment = _segment_or_404(pk)
    try:
        count = services.segment_evaluate_now(actor=request.user, segment=segment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, ngettext("Evaluated: %(n)d partner.", "Evaluated: %(n)d partners.", count) % {"n": count}
        )
    return redirect("segments:segment_detail", pk=segment.pk)


@require_POST
@login_required
def segment_members_add(request, pk: int):
    ensure_role(request.user, "change", "segment")
    segment = _segment_or_404(pk)
    form = PartnersPickForm(request.POST, partners=partner_list(user=request.user).prefetch_related(None))
    if not form.is_valid():
        messages.error(request, _("Choose the partners to add."))
        return redirect("segments:segment_detail", pk=segment.pk)
    try:
        added = services.segment_add_partners(
            actor=request.user, segment=segment, partners=form.cleaned_data["partners"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, ngettext("%(n)d partner added.", "%(n)d partners added.", added) % {"n": added}
        )
    return redirect("segments:segment_detail", pk=segment.pk)


@require_POST
@login_required
def segment_members_remove(request, pk: int):
    ensure_role(request.user, "change", "segment")
    segment = _segment_or_404(pk)
    partners = selectors.segment_members(user=request.user, segment=segment).filter(
        pk__in=[int(value) for value in request.POST.getlist("partners") if value.isdigit()]
    )
    try:
        removed = services.segment_remove_partners(actor=request.user, segment=segment, partners=partners)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, ngettext("%(n)d partner removed.", "%(n)d partners removed.", removed) % {"n": removed}
        )
    return redirect("segments:segment_detail", pk=segment.pk)


@require_POST
@login_required
def segment_delete(request, pk: int):
    ensure_role(request.user, "delete", "segment")
    segment = _segment_or_404(pk)
    try:
        services.segment_delete(actor=request.user, segment=segment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("segments:segment_detail", pk=segment.pk)
    messages.success(request, _("Segment “%(name)s” deleted.") % {"name": segment.name})
    return redirect(reverse("segments:segment_list"))
