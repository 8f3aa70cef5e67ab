"""Forms of segment pages: the segment's own fields, and the rule builder's rows read from the POST.

A rule row is a group of inputs named ``rule-<n>-field``, ``rule-<n>-operator`` and the value inputs of the
operator's type (``rule-<n>-value``, or ``-amount``/``-days``/``-from``/``-to``); rows keep the order they
have on the page. The rows are turned into the stored rule shape here and checked by the service.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.core.forms import ServiceModelForm
from sdelka.partners.models import Segment
from sdelka.partners.segments import rules as segment_rules

ROW_KEY = re.compile(r"^rule-(\d+)-")
PICK_OPTIONS = 500


class SegmentForm(ServiceModelForm):
    #: only to show the rules' errors in their place
    rules = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Conditions"))

    class Meta:
        model = Segment
        fields = ["name", "description", "kind", "match"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "kind": forms.RadioSelect}

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("rules", None)
        return data


class PartnersPickForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(label=_("Partners"), queryset=None)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners
        self.fields["partners"].widget.choices = [
            (partner.pk, partner.name) for partner in partners.order_by("name", "pk")[:PICK_OPTIONS]
        ]


def row_indexes(data) -> list[int]:
    """The indexes of the rule rows in ``data``, in page order."""
    found: list[int] = []
    for key in data:
        matched = ROW_KEY.match(key)
        if matched and int(matched.group(1)) not in found:
            found.append(int(matched.group(1)))
    return found


def _int_or_text(text: str):
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def row_rule(data, index: int) -> dict:
    """One row as a stored-shape rule (not yet checked: the service says what is wrong)."""
    prefix = f"rule-{index}-"
    field_code = data.get(prefix + "field", "")
    field = segment_rules.FIELDS_BY_CODE.get(field_code)
    operator_code = data.get(prefix + "operator", "")
    operator = field.operator(operator_code) if field else None
    rule = {"field": field_code, "operator": operator_code, "value": None}
    if operator is None:
        return rule
    kind = operator.value_type
    if kind in (segment_rules.IDS, segment_rules.CHOICES):
        rule["value"] = [value for value in data.getlist(prefix + "value") if value]
    elif kind == segment_rules.BOOL:
        rule["value"] = {"true": True, "false": False}.get(
            data.get(prefix + "value"), data.get(prefix + "value")
        )
    elif kind in (segment_rules.TEXT, segment_rules.DATE):
        rule["value"] = data.get(prefix + "value", "")
    elif kind == segment_rules.DAYS:
        rule["value"] = _int_or_text(data.get(prefix + "value", ""))
    elif kind == segment_rules.DATES:
        rule["value"] = [data.get(prefix + "from", ""), data.get(prefix + "to", "")]
    elif kind == segment_rules.SALES:
        value = {"amount": data.get(prefix + "amount", "")}
        if data.get(prefix + "period") == "range":
            value.update({"from": data.get(prefix + "from", ""), "to": data.get(prefix + "to", "")})
        else:
            value["days"] = _int_or_text(data.get(prefix + "days", ""))
        rule["value"] = value
    return rule


def rules_from_post(data) -> list[dict]:
    return [row_rule(data, index) for index in row_indexes(data)]
