"""Forms of the deal kind, stage and lost reason settings pages (they only parse; services validate)."""

from __future__ import annotations

from django import forms

from sdelka.core.forms import ServiceModelForm
from sdelka.deals.models import DealKind, LostReason, Stage


class DealKindForm(ServiceModelForm):
    class Meta:
        model = DealKind
        fields = ["name", "process_type", "separate_goods_accounting", "record_primary_demand", "active"]


class StageForm(ServiceModelForm):
    order = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)

    class Meta:
        model = Stage
        fields = ["name", "order", "probability"]


class LostReasonForm(ServiceModelForm):
    class Meta:
        model = LostReason
        fields = ["name", "active"]
