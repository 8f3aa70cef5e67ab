"""Forms of the task pages; they only parse, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.selectors import user_list
from sdelka.activities.models import Task
from sdelka.core.forms import ServiceModelForm
from sdelka.deals.selectors import lost_reason_list


class TaskForm(ServiceModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "assignee", "due_at", "priority"]
        widgets = {
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = user_list(active_only=True)
        self.fields["assignee"].required = False
        self.fields["assignee"].help_text = _("You, when left empty.")

    def service_data(self) -> dict:
        data = super().service_data()
        if data.get("assignee") is None:
            data.pop("assignee", None)
        return data


class TaskCompleteForm(forms.Form):
    result = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(
        label=_("Outcome of the deal"),
        required=False,
        choices=[("", "—"), ("won", _("Won")), ("lost", _("Lost"))],
    )
    lost_reason = forms.ModelChoiceField(label=_("Lost reason"), queryset=None, required=False)

    def __init__(self, *args, asks_outcome: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lost_reason"].queryset = lost_reason_list(active_only=True)
        if not asks_outcome:
            del self.fields["outcome"]
            del self.fields["lost_reason"]
