"""Forms of the deal pages. They parse input only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdelka.accounts.models import User
from sdelka.catalog import selectors as catalog_selectors
from sdelka.core.forms import ServiceModelForm
from sdelka.deals import selectors
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.partners.forms import DATE_WIDGET, assignable_managers
from sdelka.partners.models import ContactPerson, Counterparty, Partner
from sdelka.partners.selectors import partner_list

CLOSED_CHOICES = [("", _("Open and closed")), ("no", _("Open")), ("yes", pgettext_lazy("deals", "Closed"))]


class DealListFilterForm(forms.Form):
    """The filters above the deal list; every field is optional and a wrong value is simply ignored."""

    q = forms.CharField(required=False)
    kind = forms.ModelChoiceField(queryset=None, required=False)
    stage = forms.ModelChoiceField(queryset=None, required=False)
    status = forms.ChoiceField(choices=[("", ""), *DealStatus.choices], required=False)
    manager = forms.ModelChoiceField(queryset=None, required=False)
    partner = forms.CharField(required=False)
    start_from = forms.DateField(required=False)
    start_to = forms.DateField(required=False)
    closed = forms.ChoiceField(choices=CLOSED_CHOICES, required=False)

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = selectors.deal_kind_list()
        self.fields["stage"].queryset = selectors.stage_list().order_by("kind__name", "order", "id")
        self.fields["manager"].queryset = managers


class DealForm(ServiceModelForm):
    """A new deal (with its kind) or the fields of an existing one (with the ``version`` it was read at)."""

    probability = forms.IntegerField(
        label=_("Probability, %"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty to take it from the stage."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Deal
        fields = [
            "name",
            "partner",
            "counterparty",
            "contacts",
            "kind",
            "manager",
            "collaborators",
            "expected_amount",
            "currency",
            "planned_close_date",
            "probability",
            "description",
        ]
        widgets = {
            "planned_close_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.SelectMultiple(attrs={"size": 4}),
            "collaborators": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        deal = self.instance if self.instance.pk else None
        clients = partner_list(user=actor).filter(is_client=True)
        if deal is not None:
            # A collaborator may not see the client of the deal; saving other fields must still work.
            clients = clients | Partner.objects.filter(pk=deal.partner_id)
            del self.fields["kind"]
            self.initial["version"] = deal.version
            self.initial["probability"] = deal.probability if deal.probability_manual else None
        else:
            del self.fields["version"]
            self.fields["kind"].queryset = selectors.deal_kind_list(active_only=True)
        self.fields["partner"].queryset = clients.order_by("name", "pk")
        partner_id = self._chosen_partner_id(deal)
        if partner_id:
            counterparties = Counterparty.objects.filter(partner_id=partner_id)
            contacts = ContactPerson.objects.filter(partner_id=partner_id)
        else:
            counterparties = Counterparty.objects.filter(partner__in=clients)
            contacts = ContactPerson.objects.filter(partner__in=clients)
        self.fields["counterparty"].queryset = counterparties.order_by("name", "pk")
        self.fields["counterparty"].help_text = _(
            "Of the chosen client; save the client first to narrow the list."
        )
        self.fields["contacts"].queryset = contacts.order_by("name", "pk")
        self.fields["manager"].queryset = assignable_managers(actor, current=deal.manager if deal else None)
        self.fields["collaborators"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        if deal is None and not self.is_bound:
            self.initial.setdefault("manager", actor.pk)

    def _chosen_partner_id(self, deal) -> str | int | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix("partner"), "")
            return value if str(value).isdigit() else None
        if deal is not None:
            return deal.partner_id
        value = self.initial.get("partner")
        return value if str(value or "").isdigit() else None

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("version", None)
        data["contacts"] = list(data.get("contacts") or [])
        data["collaborators"] = list(data.get("collaborators") or [])
        return data


class MoveToStageForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = deal.kind.stages.order_by("order", "id")


class LostForm(forms.Form):
    # Not required here: the service refuses a loss without a reason and says why.
    lost_reason = forms.ModelChoiceField(label=_("Lost reason"), queryset=None, required=False)
    competitor = forms.ModelChoiceField(label=_("Competitor"), queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lost_reason"].queryset = selectors.lost_reason_list(active_only=True)
        self.fields["competitor"].queryset = (
            partner_list(user=actor).filter(is_competitor=True).order_by("name", "pk")
        )


class ProductLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3, min_value=0)
    price = forms.DecimalField(label=_("Price"), max_digits=15, decimal_places=2, min_value=0)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = catalog_selectors.product_list(user=actor).order_by("name", "pk")
