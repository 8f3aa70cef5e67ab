"""Page forms of contracts: they parse input; the service validates and saves."""

from django import forms

from sdelka.core.forms import MoneyField, ServiceModelForm
from sdelka.documents.models import Contract
from sdelka.partners import selectors as partner_selectors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(ServiceModelForm):
    class Meta:
        model = Contract
        fields = [
            "counterparty",
            "number",
            "date",
            "valid_from",
            "valid_to",
            "status",
            "currency",
            "amount_limit",
            "subject",
            "comment",
        ]
        field_classes = {"amount_limit": MoneyField}
        widgets = {
            "date": DATE_WIDGET,
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the counterparties of the actor's partners can be chosen (others are "not found").
        counterparty = self.fields["counterparty"]
        counterparty.queryset = partner_selectors.counterparty_list(user=actor).order_by(
            "partner__name", "name"
        )
        counterparty.label_from_instance = lambda c: f"{c.partner.name} — {c.name}"
        self.fields["amount_limit"].widget.attrs.update({"inputmode": "decimal", "class": "num"})
