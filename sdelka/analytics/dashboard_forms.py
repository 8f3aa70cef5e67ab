"""The filters of the funnel, the manager screen and the KPI dashboard: one form each for the page, its
export and the API.

Every choice offered is limited to what the viewer may see (managers they cover, scopes their role opens).
A wrong value is an error naming the field, never silently ignored, so a figure is never computed from
filters the user did not mean. Without dates a report covers the last twelve months.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.analytics.selectors.dashboard import DashboardScope, dashboard_scopes
from sdelka.analytics.selectors.dashboard_period import Period, default_period
from sdelka.analytics.selectors.managers import COLUMNS
from sdelka.deals.choices import ProcessType
from sdelka.deals.models import Deal, DealKind
from sdelka.deals.selectors import deal_scope

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: the longest period a report covers: ten years of months on one chart is already unreadable
LONGEST_PERIOD = timedelta(days=3660)


class PeriodForm(forms.Form):
    """From and to, both optional and inclusive; the ``period`` property is what the report covers."""

    date_from = forms.DateField(label=_("Period from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Period to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for form_field in self.fields.values():
            form_field.widget.attrs.setdefault("aria-label", form_field.label)

    def show_defaults(self) -> None:
        """Fill the inputs left empty with what the report used, so the page shows the period it covers."""
        if not self.is_bound or not self.is_valid():
            return
        data = self.data.copy()
        for name, value in self.defaults().items():
            if not data.get(name):
                data[name] = value
        self.data = data

    def defaults(self) -> dict[str, str]:
        return {"date_from": self.period.start.isoformat(), "date_to": self.period.end.isoformat()}

    def clean(self) -> dict:
        cleaned = super().clean()
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        default = default_period()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is None and end is not None:
            start = default_period(end).start
        start, end = start or default.start, end or default.end
        if end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif end - start > LONGEST_PERIOD:
            self.add_error("date_from", _("The period is too long: choose at most ten years."))
        else:
            cleaned["period"] = Period(start=start, end=end)
        return cleaned

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    def summary(self) -> list[str]:
        """The applied filters as people read them, for the heading of an export."""
        start = formats.date_format(self.period.start, "SHORT_DATE_FORMAT")
        end = formats.date_format(self.period.end, "SHORT_DATE_FORMAT")
        return [_("Period: %(start)s – %(end)s") % {"start": start, "end": end}]


def _covered_managers(user):
    covered = covered_user_ids(user)
    managers = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
    return managers.order_by("last_name", "first_name", "username")


class FunnelFilterForm(PeriodForm):
    """A deal kind with stages (the first one by name when not chosen), a period and optionally a manager."""

    kind = forms.ModelChoiceField(label=_("Deal kind"), queryset=DealKind.objects.none(), required=False)
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.none(), required=False, empty_label=_("All managers")
    )

    field_order = ("kind", "manager", "date_from", "date_to")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        kinds = DealKind.objects.exclude(process_type=ProcessType.NON_PROCESS).order_by("name", "pk")
        self.fields["kind"].queryset = kinds
        self.fields["kind"].empty_label = None
        self.fields["manager"].queryset = _covered_managers(user)

    def clean_kind(self) -> DealKind | None:
        kind = self.cleaned_data.get("kind")
        if kind is None:
            kind = self._busiest_kind()
        if kind is None:
            raise forms.ValidationError(_("There are no deal kinds with stages yet."))
        return kind

    def _busiest_kind(self) -> DealKind | None:
        """The kind with the most deals the user sees (the first by name when there are none)."""
        seen = Deal.objects.filter(deal_scope(self.user), kind=OuterRef("pk")).order_by().values("kind")
        deals = Subquery(seen.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
        kinds = self.fields["kind"].queryset.annotate(deal_count=Coalesce(deals, 0))
        return kinds.order_by("-deal_count", "-active", "name", "pk").first()

    def defaults(self) -> dict[str, str]:
        return {**super().defaults(), "kind": str(self.cleaned_data["kind"].pk)}

    def summary(self) -> list[str]:
        parts = [f"{self.fields['kind'].label}: {self.cleaned_data['kind']}"]
        if self.cleaned_data.get("manager"):
            parts.append(f"{self.fields['manager'].label}: {self.cleaned_data['manager']}")
        return parts + super().summary()


def manager_sort_choices() -> list[tuple[str, str]]:
    return [("", "")] + [(key, key) for key in COLUMNS] + [(f"-{key}", f"-{key}") for key in COLUMNS]


class ManagerFilterForm(PeriodForm):
    """A period and the column the managers are sorted by (``-`` in front for descending)."""

    sort = forms.ChoiceField(label=_("Sort"), choices=manager_sort_choices, required=False)


class DashboardFilterForm(PeriodForm):
    """Whose figures — me, my team, the company (as the role allows; the widest by default) — and a period."""

    scope = forms.ChoiceField(label=_("Figures of"), choices=DashboardScope.choices, required=False)

    field_order = ("scope", "date_from", "date_to")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.scopes = dashboard_scopes(user)
        self.fields["scope"].choices = [(value, DashboardScope(value).label) for value in self.scopes]

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or self.scopes[-1]

    def defaults(self) -> dict[str, str]:
        return {**super().defaults(), "scope": self.cleaned_data["scope"]}

    def summary(self) -> list[str]:
        scope = DashboardScope(self.cleaned_data["scope"]).label
        return [f"{self.fields['scope'].label}: {scope}", *super().summary()]
