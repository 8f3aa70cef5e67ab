"""The reminder form of the pages: it only parses; the rules (kinds of records, dates, times) are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.activities.models import Reminder
from sdelka.activities.targets import reminder_targets
from sdelka.core.forms import ServiceModelForm


def target_type_choices() -> list[tuple[str, str]]:
    return [(label, target.label) for label, target in reminder_targets().items()]


def date_field_choices() -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    for target in reminder_targets().values():
        for date in target.dates:
            choices.setdefault(date.field, date.label)
    return [("", "—"), *choices.items()]


class ReminderForm(ServiceModelForm):
    target_type = forms.ChoiceField(label=_("Kind of record"), choices=target_type_choices)
    target_id = forms.IntegerField(label=_("Record number (id)"), min_value=1)
    date_field = forms.ChoiceField(
        label=_("Date of the record"),
        choices=date_field_choices,
        required=False,
        help_text=_("Deal: planned close date or start date; contact person: birthday (every year)."),
    )

    class Meta:
        model = Reminder
        fields = [
            "target_type",
            "target_id",
            "text",
            "timing",
            "remind_at",
            "date_field",
            "offset_days",
            "at_time",
            "repeat",
            "by_email",
        ]
        widgets = {
            "timing": forms.RadioSelect,
            "remind_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "at_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            self.initial["target_type"] = f"{instance.target_type.app_label}.{instance.target_type.model}"
        self.fields["remind_at"].help_text = _("For a reminder at a fixed time.")
