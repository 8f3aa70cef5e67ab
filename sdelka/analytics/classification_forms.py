"""The parameters of a classification report, one form for the pages, the exports and the API."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdelka.analytics.choices import CELLS, Criterion, PeriodType, Subject
from sdelka.analytics.models import ClassificationSettings
from sdelka.analytics.periods import Period, is_period_start, last_closed
from sdelka.analytics.services.settings import CELL_FIELDS
from sdelka.core.forms import ServiceModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClassificationQueryForm(forms.Form):
    """Subject, criterion and a closed period. The API requires every field (``strict``); the pages fall
    back to clients, the default criterion and the last closed period of the type."""

    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices, required=False)
    criterion = forms.ChoiceField(label=_("Criterion"), choices=Criterion.choices, required=False)
    period_type = forms.ChoiceField(label=_("Period"), choices=PeriodType.choices, required=False)
    period_start = forms.DateField(
        label=_("Period start"), required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"]
    )
    cell = forms.ChoiceField(
        label=_("Matrix cell"), choices=[("", _("All cells")), *((c, c) for c in CELLS)], required=False
    )

    def __init__(self, *args, strict: bool = False, default_criterion: str = Criterion.REVENUE, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        self.default_criterion = default_criterion
        for name in ("subject", "criterion", "period_type", "period_start"):
            self.fields[name].required = strict
            self.fields[name].widget.attrs.setdefault("aria-label", self.fields[name].label)
        if strict:
            self.fields["period_start"].error_messages["required"] = _(
                "Give the first day of the period (YYYY-MM-DD)."
            )
            self.fields["period_start"].error_messages["invalid"] = _("Give a date as YYYY-MM-DD.")

    def clean(self) -> dict:
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["subject"] = cleaned.get("subject") or Subject.CLIENTS
        cleaned["criterion"] = cleaned.get("criterion") or self.default_criterion
        period_type = cleaned.get("period_type") or PeriodType.QUARTER
        cleaned["period_type"] = period_type
        if "period_start" in self.errors:
            return cleaned
        start = cleaned.get("period_start")
        if start is None:
            cleaned["period"] = last_closed(period_type, today)
            return cleaned
        if not is_period_start(period_type, start):
            self.add_error(
                "period_start",
                _("%(date)s is not the first day of a %(period)s.")
                % {"date": start.isoformat(), "period": PeriodType(period_type).label.lower()},
            )
            return cleaned
        period = Period(period_type, start)
        if not period.is_closed(today):
            self.add_error(
                "period_start",
                _(
                    "The period is not closed yet: classification covers closed periods only (ending before %(today)s)."
                )
                % {"today": today.isoformat()},
            )
            return cleaned
        cleaned["period"] = period
        return cleaned


class ClassificationSettingsForm(ServiceModelForm):
    class Meta:
        model = ClassificationSettings
        fields = ["abc_a", "abc_b", "xyz_x", "xyz_y", "criterion", *CELL_FIELDS]
