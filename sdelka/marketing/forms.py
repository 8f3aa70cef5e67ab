"""Forms of the marketing pages, and the primary interest fields the partner and deal forms share.

They parse input only; the services validate and save.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.models import User
from sdelka.core.forms import LinesField, MoneyField, ServiceModelForm, group_choices
from sdelka.marketing.choices import ParticipantStatus, SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.partners.choices import PartnerKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: how many sources the select offers at once; a search narrows the list
SOURCE_OPTIONS = 200
#: how many partners and contacts the participant selects show
PICK_OPTIONS = 500
CHANNEL_FIELD = "primary_interest_channel"
SOURCE_FIELD = "primary_interest_source"


# --- primary interest on the partner, deal and new-client forms ----------------------------------------------


def source_queryset(source_type: str, *, user):
    """The records of ``source_type`` the user may choose as a source (scoped like everything else)."""
    from sdelka.partners import selectors as partner_selectors

    if source_type == SourceType.USER:
        return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    if source_type == SourceType.PARTNER:
        return partner_selectors.partner_list(user=user).prefetch_related(None).order_by("name", "pk")
    if source_type == SourceType.CONTACT:
        return partner_selectors.contact_person_list(user=user).order_by("name", "pk")
    if source_type == SourceType.INDIVIDUAL:
        return partner_selectors.individual_list(user=user).order_by("name", "pk")
    if source_type == SourceType.EVENT:
        return MarketingEvent.objects.order_by("-start_date", "-pk")
    raise ValueError(source_type)


def _search(queryset, source_type: str, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    if source_type == SourceType.USER:
        return queryset.filter(
            Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
        )
    return queryset.filter(name__icontains=text)


def source_label(source_type: str, record) -> str:
    if source_type == SourceType.CONTACT:
        return f"{record.name} ({record.partner.name})"
    if source_type == SourceType.EVENT:
        return f"{record.name} ({record.start_date:%d.%m.%Y})"
    return str(record)


def source_value(record) -> str:
    from sdelka.marketing.services import source_type_of

    return f"{source_type_of(record)}:{record.pk}" if record is not None else ""


class SourceField(forms.CharField):
    """The source as "<type>:<id>" ("partner:12"), turned into the record the user may see; the type is kept
    in the value so that a source left over from another channel is reported, never silently reread."""

    widget = forms.Select

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        source_type, _sep, pk = value.partition(":")
        if source_type not in SourceType.values or not pk.isdigit() or int(pk) > 2**63 - 1:
            raise forms.ValidationError(_("Choose a source from the list."))
        record = source_queryset(source_type, user=self.user).filter(pk=int(pk)).first()
        if record is None:
            raise forms.ValidationError(_("Choose a source from the list."))
        return record


class PrimaryInterestMixin:
    """Adds the channel select and the source select that follows it (htmx reloads the source select when
    the channel changes: ``marketing:primary_interest_source_options``)."""

    def setup_primary_interest(self, *, actor, record=None) -> None:
        channels = AdChannel.objects.all()
        self.fields[CHANNEL_FIELD] = forms.ModelChoiceField(
            label=_("Primary interest channel"), queryset=channels, required=False
        )
        self.fields[CHANNEL_FIELD].choices = group_choices(channels, empty_label=_("(unknown)"))
        self.fields[SOURCE_FIELD] = SourceField(
            label=_("Primary interest source"),
            user=actor,
            help_text=_("A record of the channel's source type."),
        )
        if record is not None and record.pk and not self.is_bound:
            self.initial.setdefault(CHANNEL_FIELD, record.primary_interest_channel_id)
            self.initial.setdefault(SOURCE_FIELD, source_value(record.primary_interest_source))
        self.fields[CHANNEL_FIELD].widget.attrs.update(
            {
                "hx-get": reverse("marketing:primary_interest_source_options"),
                "hx-trigger": "change",
                "hx-target": "#primary-interest-source",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        self._fill_source_choices(actor, search="")

    def _chosen_channel(self) -> AdChannel | None:
        value = (
            self.data.get(self.add_prefix(CHANNEL_FIELD))
            if self.is_bound
            else self.initial.get(CHANNEL_FIELD)
        )
        value = getattr(value, "pk", value)
        if not str(value or "").isdigit():
            return None
        return AdChannel.objects.filter(pk=value).first()

    def _current_source_value(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(SOURCE_FIELD), "")
        value = self.initial.get(SOURCE_FIELD) or ""
        return value if isinstance(value, str) else source_value(value)

    def _fill_source_choices(self, actor, *, search: str) -> None:
        channel = self._chosen_channel()
        field = self.fields[SOURCE_FIELD]
        self.source_type = channel.source_type if channel else ""
        if channel is None:
            field.widget.choices = [("", _("(choose a channel first)"))]
            return
        if not channel.source_type:
            field.widget.choices = [("", _("(the channel takes no source)"))]
            return
        records = _search(source_queryset(channel.source_type, user=actor), channel.source_type, search)
        if channel.source_type == SourceType.CONTACT:
            records = records.select_related("partner")
        choices = [("", _("(no source)"))]
        current = self._current_source_value()
        values = set()
        for record in records[:SOURCE_OPTIONS]:
            value = f"{channel.source_type}:{record.pk}"
            values.add(value)
            choices.append((value, source_label(channel.source_type, record)))
        if current and current not in values:
            # Keep the chosen source offered (even of another type: the service then says what is wrong).
            try:
                record = field.to_python(current)
            except forms.ValidationError:
                record = None
            if record is not None:
                choices.insert(1, (current, str(record)))
        field.widget.choices = choices


class SourceOptionsForm(PrimaryInterestMixin, forms.Form):
    """Only the two primary interest fields: what the htmx endpoint renders."""

    def __init__(self, *args, actor, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_primary_interest(actor=actor)
        if search:
            self._fill_source_choices(actor, search=search)


# --- channels and events ------------------------------------------------------------------------------------


class AdChannelForm(ServiceModelForm):
    class Meta:
        model = AdChannel
        fields = ["name", "parent", "source_type", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = AdChannel.objects.all()
        if self.instance.pk:
            # Not into itself or below itself: the service would refuse it anyway.
            channels = channels.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = channels
        self.fields["parent"].choices = group_choices(channels, empty_label=_("(top level)"))
        self.fields["parent"].label = _("Parent channel")
        self.fields["source_type"].choices = [("", _("(no source)")), *SourceType.choices]


class MarketingEventForm(ServiceModelForm):
    planned_budget = MoneyField(label=_("Planned budget"), max_digits=15, decimal_places=2, required=False)

    class Meta:
        model = MarketingEvent
        fields = [
            "name",
            "kind",
            "start_date",
            "end_date",
            "responsible",
            "channel",
            "planned_budget",
            "segments",
            "audience",
            "description",
        ]
        widgets = {
            "segments": forms.SelectMultiple(attrs={"size": 5}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "audience": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance if self.instance.pk else None
        users = User.objects.filter(is_active=True)
        if event is not None and event.responsible_id:
            users = users | User.objects.filter(pk=event.responsible_id)
        self.fields["responsible"].queryset = users.order_by("last_name", "first_name", "username")
        channels = AdChannel.objects.all()
        self.fields["channel"].queryset = channels
        self.fields["channel"].choices = group_choices(channels, empty_label=_("(none)"))
        from sdelka.partners.models import Segment

        self.fields["segments"].queryset = Segment.objects.order_by("name")
        self.fields["segments"].help_text = _("The partner segments the event is aimed at.")
        self.fields["audience"].help_text = _("Who the event is for, in words.")
        if event is None and not self.is_bound:
            self.initial.setdefault("responsible", actor.pk)

    def service_data(self) -> dict:
        data = super().service_data()
        if data.get("planned_budget") is None:
            data.pop("planned_budget", None)
        return data


class EventListFilterForm(forms.Form):
    q = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("", "")], required=False)
    channel = forms.ModelChoiceField(queryset=AdChannel.objects.all(), required=False)
    responsible = forms.ModelChoiceField(queryset=User.objects.all(), required=False)
    start_from = forms.DateField(required=False)
    start_to = forms.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sdelka.marketing.choices import EventKind

        self.fields["kind"].choices = [("", ""), *EventKind.choices]


class ExpenseForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    description = forms.CharField(label=_("Description"), max_length=255)
    # Not limited here: the model refuses a zero or negative amount and says why.
    amount = MoneyField(label=_("Amount"), max_digits=15, decimal_places=2)


class ParticipantAddForm(forms.Form):
    """Partners to invite: ticked one by one, a whole partner group at once, or one contact person."""

    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    group = forms.ModelChoiceField(label=_("All partners of the group"), queryset=None, required=False)
    include_subgroups = forms.BooleanField(label=_("With subgroups"), required=False, initial=True)
    segment = forms.ModelChoiceField(label=_("All partners of the segment"), queryset=None, required=False)
    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=None, required=False)

    def __init__(self, *args, actor, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        from sdelka.partners import selectors as partner_selectors
        from sdelka.partners.models import PartnerGroup

        partners = partner_selectors.partner_list(user=actor).prefetch_related(None).order_by("name", "pk")
        if event is not None:
            # Not offered again: those taking part already (the service would skip them anyway).
            partners = partners.exclude(
                pk__in=event.participants.filter(contact__isnull=True).values("partner_id")
            )
        self.fields["partners"].queryset = partners
        groups = PartnerGroup.objects.all()
        self.fields["group"].queryset = groups
        self.fields["group"].choices = group_choices(groups, empty_label=_("(none)"))
        from sdelka.partners.models import Segment

        segments = Segment.objects.order_by("name")
        if event is not None:
            # The event's target segments first: the usual choice.
            targets = list(event.segments.order_by("name"))
            others = [segment for segment in segments if segment not in targets]
            self.fields["segment"].queryset = segments
            self.fields["segment"].choices = [("", _("(none)"))] + [
                (segment.pk, f"{segment.name} ({segment.member_count})") for segment in targets + others
            ]
        else:
            self.fields["segment"].queryset = segments
        self.fields["segment"].empty_label = _("(none)")
        self.fields["contact"].queryset = partner_selectors.contact_person_list(user=actor).order_by(
            "partner__name", "name", "pk"
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.partner.name})"
        self.fields["contact"].empty_label = _("(none)")
        # Validation reads the whole scoped queryset; the selects show the first records only (a catalog
        # of many thousands of partners cannot be one select: the group choice covers the big sets).
        for name in ("partners", "contact"):
            field = self.fields[name]
            options = list(field.queryset[:PICK_OPTIONS])
            empty = [] if name == "partners" else [("", field.empty_label)]
            field.widget.choices = empty + [
                (record.pk, field.label_from_instance(record)) for record in options
            ]

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("partners")
            or cleaned.get("group")
            or cleaned.get("segment")
            or cleaned.get("contact")
        ):
            raise forms.ValidationError(
                _("Choose partners, a partner group or a contact person. A whole segment can be chosen too.")
            )
        return cleaned


class ParticipantStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ParticipantStatus.choices)


# --- new clients --------------------------------------------------------------------------------------------


class NewClientForm(PrimaryInterestMixin, forms.Form):
    """A potential client in one form ("Первичные продажи → Клиенты"): the partner, its contact person and
    where their interest came from."""

    name = forms.CharField(label=_("Client name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices, initial=PartnerKind.COMPANY)
    region = forms.CharField(label=_("Region"), max_length=150, required=False)
    phones = LinesField(label=_("Client phones"))
    emails = LinesField(label=_("Client e-mails"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=255, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=150, required=False)
    contact_phones = LinesField(label=_("Contact phones"))
    contact_emails = LinesField(label=_("Contact e-mails"))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    PARTNER_FIELDS = ("name", "kind", "region", "phones", "emails", "comment", CHANNEL_FIELD, SOURCE_FIELD)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_primary_interest(actor=actor)

    def clean(self):
        cleaned = super().clean()
        has_contact_data = any(
            cleaned.get(name) for name in ("contact_position", "contact_phones", "contact_emails")
        )
        if has_contact_data and not (cleaned.get("contact_name") or "").strip():
            self.add_error("contact_name", _("Give the contact person's name."))
        return cleaned

    def partner_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PARTNER_FIELDS if name in self.cleaned_data}

    def contact_data(self) -> dict:
        return {
            name: self.cleaned_data[f"contact_{name}"] for name in ("name", "position", "phones", "emails")
        }


class ReportPeriodForm(forms.Form):
    """A report's period; a wrong or missing date falls back to the default (this year up to today)."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = AdChannel.objects.all()
        self.fields["channel"].queryset = channels
        self.fields["channel"].choices = group_choices(channels, empty_label=_("(all channels)"))

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        cleaned = self.cleaned_data if self.is_valid() else {}
        date_to = cleaned.get("date_to") or today
        date_from = cleaned.get("date_from") or date(date_to.year, 1, 1)
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return date_from, date_to
