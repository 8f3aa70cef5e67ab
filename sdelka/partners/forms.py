"""Forms of the partner pages. They parse input only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.forms import CommaSeparatedField, LinesField, ServiceModelForm, group_choices
from sdelka.marketing.forms import PrimaryInterestMixin
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def assignable_managers(actor, *, current: User | None = None):
    """The users ``actor`` may make responsible for a partner: themself, their team, or anyone (admins).

    The partner's current manager stays in the list even when outside it, so that saving other fields
    does not force a change of manager.
    """
    users = User.objects.filter(is_active=True)
    covered = covered_user_ids(actor)
    if covered is not None:
        users = users.filter(pk__in=covered)
    if current is not None:
        users = users | User.objects.filter(pk=current.pk)
    return users.order_by("last_name", "first_name", "username")


class PartnerForm(PrimaryInterestMixin, ServiceModelForm):
    phones = LinesField(label=_("Phones"))
    emails = LinesField(label=_("E-mails"))
    tags = CommaSeparatedField(label=_("Tags"))
    website = forms.URLField(label=_("Website"), max_length=255, required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "is_client",
            "is_supplier",
            "is_competitor",
            "is_other",
            "group",
            "manager",
            "region",
            "address",
            "website",
            "phones",
            "emails",
            "tags",
            "comment",
        ]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        partner = self.instance if self.instance.pk else None
        groups = PartnerGroup.objects.all()
        self.fields["group"].queryset = groups
        self.fields["group"].choices = group_choices(groups, empty_label=_("(no group)"))
        manager = self.fields["manager"]
        manager.queryset = assignable_managers(actor, current=partner.manager if partner else None)
        manager.empty_label = _("(nobody)")
        if partner is not None:
            self.initial["tags"] = [tag.name for tag in partner.tags.all()]
        elif not self.is_bound:
            self.initial.setdefault("manager", actor.pk)
        self.setup_primary_interest(actor=actor, record=partner)


class MoveToGroupForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Move to group"), queryset=PartnerGroup.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = PartnerGroup.objects.all()
        self.fields["group"].queryset = groups
        self.fields["group"].choices = group_choices(groups, empty_label=_("(out of any group)"))


class CounterpartyForm(ServiceModelForm):
    # Shown only after the service reported a duplicate tax id.
    allow_duplicate = forms.BooleanField(
        label=_("Create anyway: I know a counterparty with this tax id exists"), required=False
    )

    # Which fields belong to which country; the page hides the others (all stay valid to submit).
    COUNTRY_FIELDS = {
        "inn": "RU",
        "kpp": "RU",
        "ogrn": "RU",
        "bik": "RU",
        "bank_account": "RU",
        "correspondent_account": "RU",
        "bin": "KZ",
        "tax_number": "other",
    }

    class Meta:
        model = Counterparty
        fields = [
            "name",
            "full_name",
            "legal_form",
            "country",
            "inn",
            "kpp",
            "ogrn",
            "bin",
            "tax_number",
            "legal_address",
            "bank_name",
            "bik",
            "bank_account",
            "correspondent_account",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, country in self.COUNTRY_FIELDS.items():
            self.fields[name].widget.attrs["data-country"] = country
        self.fields["country"].widget.attrs["data-country-select"] = "1"

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("allow_duplicate", None)
        return data


class ContactPersonForm(ServiceModelForm):
    phones = LinesField(label=_("Phones"))
    emails = LinesField(label=_("E-mails"))

    class Meta:
        model = ContactPerson
        fields = ["name", "position", "phones", "emails", "birthday", "comment"]
        widgets = {"birthday": DATE_WIDGET, "comment": forms.Textarea(attrs={"rows": 2})}


class IndividualForm(ServiceModelForm):
    phones = LinesField(label=_("Phones"))
    emails = LinesField(label=_("E-mails"))

    class Meta:
        model = Individual
        fields = ["name", "gender", "birthday", "inn", "phones", "emails", "address", "comment"]
        widgets = {"birthday": DATE_WIDGET, "comment": forms.Textarea(attrs={"rows": 3})}
