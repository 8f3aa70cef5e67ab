"""The filters of the deal financial results report, one form for the page, its Excel export and the API.

Every choice offered is limited to what the viewer may see: managers they cover, partners of deals in
their scope. An id outside those lists is refused with the form's message instead of being ignored, so a
report is never computed from filters the user did not mean.
"""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal, DealKind
from sdelka.deals.selectors import deal_scope
from sdelka.documents.reports import PeriodBy
from sdelka.partners.models import Partner

CLOSED_CHOICES = [
    ("", _("Open and closed")),
    ("false", pgettext_lazy("deals", "Open")),
    ("true", pgettext_lazy("deals", "Closed")),
]


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _closed_value(value: str) -> bool:
    return value == "true"


class DealFinancialResultFilterForm(forms.Form):
    """Which deals the report covers. Every field is optional; a wrong value is an error, not ignored."""

    deal = forms.CharField(
        label=_("Deal"),
        required=False,
        max_length=255,
        widget=forms.TextInput(
            attrs={"type": "search", "class": "search", "placeholder": _("Deal number or name…")}
        ),
    )
    kind = forms.ModelChoiceField(
        label=_("Deal kind"), queryset=DealKind.objects.none(), required=False, empty_label=_("Any kind")
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.none(), required=False, empty_label=_("Any manager")
    )
    partner = forms.ModelChoiceField(
        label=_("Client"), queryset=Partner.objects.none(), required=False, empty_label=_("Any client")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *DealStatus.choices], required=False
    )
    closed = forms.TypedChoiceField(
        label=pgettext_lazy("deals", "Closed"),
        choices=CLOSED_CHOICES,
        coerce=_closed_value,
        empty_value=None,
        required=False,
    )
    period_by = forms.ChoiceField(label=_("Period by"), choices=PeriodBy.choices, required=False)
    date_from = forms.DateField(label=_("Period from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Period to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        covered = covered_user_ids(user)
        managers = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
        self.fields["manager"].queryset = managers.order_by("last_name", "first_name", "username")
        visible_deals = Deal.objects.filter(deal_scope(user)).values("partner_id")
        self.fields["partner"].queryset = Partner.objects.filter(pk__in=visible_deals).order_by("name", "pk")
        self.fields["kind"].queryset = DealKind.objects.order_by("name", "pk")
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def clean_period_by(self) -> str:
        return self.cleaned_data.get("period_by") or PeriodBy.START_DATE

    def clean(self) -> dict:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def summary(self) -> list[str]:
        """The applied filters as people read them ("Manager: Ivanov"), for the heading of an export."""
        cleaned = self.cleaned_data
        parts = []
        for name in ("deal", "kind", "manager", "partner"):
            if cleaned.get(name):
                parts.append(f"{self.fields[name].label}: {cleaned[name]}")
        if cleaned.get("status"):
            parts.append(f"{self.fields['status'].label}: {DealStatus(cleaned['status']).label}")
        if cleaned.get("closed") is not None:
            closed = dict(CLOSED_CHOICES)["true" if cleaned["closed"] else "false"]
            parts.append(f"{self.fields['closed'].label}: {closed}")
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from or date_to:
            start = formats.date_format(date_from, "SHORT_DATE_FORMAT") if date_from else "…"
            end = formats.date_format(date_to, "SHORT_DATE_FORMAT") if date_to else "…"
            parts.append(f"{PeriodBy(cleaned['period_by']).label}: {start} – {end}")
        return parts
