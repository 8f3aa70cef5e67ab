"""Forms of the deal pages. They parse input only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sdelka.accounts.models import User
from sdelka.catalog import selectors as catalog_selectors
from sdelka.core.forms import MoneyField, ServiceModelForm
from sdelka.deals import selectors
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.documents.choices import ExpenseKind
from sdelka.documents.models import Contract
from sdelka.marketing.forms import PrimaryInterestMixin
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


class DealForm(PrimaryInterestMixin, ServiceModelForm):
    """A new deal (with its kind) or the fields of an existing one (with the ``version`` it was read at).

    The counterparty and contact persons are those of the chosen client, the contract that of the chosen
    counterparty. On the page htmx reloads these three selects when the client or the counterparty changes
    (:data:`PARTY_FIELDS`, ``deals:deal_form_options``); without JavaScript the lists narrow on the next save.
    """

    PARTY_FIELDS = ("counterparty", "contract", "contacts")

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
            "contract",
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
        partner_id = self._chosen_id("partner", clients)
        if partner_id:
            counterparties = Counterparty.objects.filter(partner_id=partner_id)
            contacts = ContactPerson.objects.filter(partner_id=partner_id)
        else:
            counterparties = Counterparty.objects.filter(partner__in=clients)
            contacts = ContactPerson.objects.filter(partner__in=clients)
        self.fields["counterparty"].queryset = counterparties.order_by("name", "pk")
        self.fields["contacts"].queryset = contacts.order_by("name", "pk")
        counterparty_id = self._chosen_id("counterparty", counterparties)
        contracts = (
            Contract.objects.filter(counterparty_id=counterparty_id)
            if counterparty_id
            else Contract.objects.none()
        )
        self.fields["contract"].queryset = contracts.order_by("-date", "-pk")
        self.fields["counterparty"].help_text = _("A legal entity of the chosen client.")
        self.fields["contract"].help_text = _("A contract with the chosen counterparty.")
        self.fields["manager"].queryset = assignable_managers(actor, current=deal.manager if deal else None)
        self.fields["collaborators"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self._follow_choices(deal)
        if deal is None and not self.is_bound:
            self.initial.setdefault("manager", actor.pk)
        self.setup_primary_interest(actor=actor, record=deal)
        if deal is None:
            self.fields["primary_interest_channel"].help_text = _("Leave empty to take the client's.")

    def _chosen_id(self, name: str, queryset) -> int | None:
        """The id chosen in field ``name`` (typed in or initial), when ``queryset`` offers it; else None."""
        value = self.data.get(self.add_prefix(name), "") if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        if not str(value or "").isdigit():
            return None
        return int(value) if queryset.filter(pk=value).exists() else None

    def _follow_choices(self, deal: Deal | None) -> None:
        """Let the client and the counterparty reload the selects that depend on them (htmx)."""
        url = reverse("deals:deal_form_options")
        if deal is not None:
            url = f"{url}?deal={deal.pk}"
        attrs = {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": "#deal-parties",
            "hx-swap": "outerHTML",
            "hx-include": f"#{self['partner'].auto_id}, #deal-parties",
        }
        self.fields["partner"].widget.attrs.update(attrs)
        self.fields["counterparty"].widget.attrs.update(attrs)

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


class LineValuesForm(forms.Form):
    """The quantity and price of one line of the goods of interest, as changed in its row.

    ``html_form`` ties the inputs to a ``<form>`` elsewhere in the row (a form cannot wrap a table row).
    """

    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=15, decimal_places=3, min_value=0, localize=True
    )
    price = MoneyField(label=_("Price"), max_digits=15, decimal_places=2, min_value=0)

    def __init__(self, *args, html_form: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quantity", "price"):
            self.fields[name].widget.attrs.update({"size": 10, "inputmode": "decimal"})
            if html_form:
                self.fields[name].widget.attrs["form"] = html_form


class ProductLineForm(LineValuesForm):
    """A new line of the goods of interest."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    field_order = ["product", "quantity", "price"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = catalog_selectors.product_list(user=actor).order_by("name", "pk")


class ParticipantForm(forms.Form):
    """A partner joining the deal's environment with a role ("agent", "designer"…)."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    role = forms.CharField(label=_("Role"), max_length=150, required=False)

    def __init__(self, *args, actor, deal: Deal, **kwargs):
        super().__init__(*args, **kwargs)
        # Only partners the user sees; the client and those taking part already are not offered.
        taking_part = deal.participants.values("partner_id")
        self.fields["partner"].queryset = (
            partner_list(user=actor)
            .prefetch_related(None)
            .exclude(pk=deal.partner_id)
            .exclude(pk__in=taking_part)
            .order_by("name", "pk")
        )


class ExpenseForm(forms.Form):
    """An expense of the deal: the date (today unless changed), the item, the amount, a comment."""

    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Expense item"), choices=ExpenseKind.choices)
    # Not limited here: the model refuses a zero or negative amount and says why.
    amount = MoneyField(label=_("Amount"), max_digits=15, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), max_length=255, required=False)
