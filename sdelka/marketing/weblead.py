"""Writes of the web-to-lead form: its settings and UTM mappings (kept by marketers), and a visitor's
request turned into a client, a contact person, a deal and an incoming interaction.

A request is matched to an existing partner by e-mail or phone instead of making a second one. Every
write runs in one transaction; a request that fails leaves nothing but (for spam) its log row.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.history import save_with_history
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.core.validators import PHONE_RE
from sdelka.marketing import weblead_selectors as selectors
from sdelka.marketing.choices import SourceType
from sdelka.marketing.interest import CHANNEL_FIELD
from sdelka.marketing.weblead_models import UTM_FIELDS, LeadForm, LeadOutcome, LeadSubmission, UtmMapping

RESOURCE = "lead_form"
LEAD_FORM_FIELDS = (
    "name",
    "active",
    "deal_kind",
    "manager",
    "default_channel",
    "title",
    "consent_text",
    "thank_you_text",
    "allowed_origins",
)
MAPPING_FIELDS = ("form", *UTM_FIELDS, "channel", "event")
ORIGIN_RE = re.compile(r"^https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$")
#: what a visitor sends, each cut to the length the records take
LEAD_FIELDS = {"name": 255, "company": 255, "phone": 40, "email": 254, "comment": 5000}


# --- the form's settings ------------------------------------------------------------------------------------


def _check_origins(text: str) -> str:
    """Each line a site's origin (https://example.com, https://*.example.com:8443, nothing more: it goes
    into the page's Content-Security-Policy); returned one per line."""
    origins = []
    for line in (text or "").splitlines():
        line = line.strip().rstrip("/")
        if not line:
            continue
        if not ORIGIN_RE.match(line):
            raise ValidationError(
                {
                    "allowed_origins": _("“%(line)s” is not a site address like https://example.com.")
                    % {"line": line[:100]}
                }
            )
        origins.append(line.lower())
    return "\n".join(origins)


def _check_lead_form(form: LeadForm, changed: list[str]) -> None:
    errors = {}
    if "manager" in changed and form.manager_id and not form.manager.is_active:
        errors["manager"] = _("%(user)s is deactivated and cannot be responsible.") % {"user": form.manager}
    if "deal_kind" in changed and form.deal_kind_id:
        kind = form.deal_kind
        if not kind.active:
            errors["deal_kind"] = _("The deal kind “%(kind)s” is not in use.") % {"kind": kind}
        elif kind.has_stages and not kind.stages.exists():
            errors["deal_kind"] = _("The deal kind “%(kind)s” has no stages yet.") % {"kind": kind}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def lead_form_create(*, actor, data: dict) -> LeadForm:
    ensure_role_can(actor, "add", RESOURCE)
    form = LeadForm()
    data = dict(data)
    if "allowed_origins" in data:
        data["allowed_origins"] = _check_origins(data["allowed_origins"])
    changed = model_assign(form, data, LEAD_FORM_FIELDS)
    form.name = (form.name or "").strip()
    _check_lead_form(form, changed)
    validate_and_save(form, actor=actor)
    return form


@transaction.atomic
def lead_form_update(*, actor, form: LeadForm, data: dict) -> LeadForm:
    ensure_role_can(actor, "change", RESOURCE)
    data = dict(data)
    if "allowed_origins" in data:
        data["allowed_origins"] = _check_origins(data["allowed_origins"])
    changed = model_assign(form, data, LEAD_FORM_FIELDS)
    if changed:
        form.name = (form.name or "").strip()
        _check_lead_form(form, changed)
        validate_and_save(form, actor=actor)
    return form


@transaction.atomic
def lead_form_new_token(*, actor, form: LeadForm) -> LeadForm:
    """A new public link: the old one stops working (e.g. when bots found it)."""
    from sdelka.marketing.weblead_models import new_lead_form_token

    ensure_role_can(actor, "change", RESOURCE)
    form.token = new_lead_form_token()
    save_with_history(form, actor=actor)
    return form


@transaction.atomic
def lead_form_delete(*, actor, form: LeadForm) -> None:
    """A form without submissions is deleted; one with them keeps its log and is switched off instead."""
    ensure_role_can(actor, "delete", RESOURCE)
    form._history_user = actor
    try:
        form.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The form has received requests; switch it off instead, to keep their log.")
        ) from error


# --- UTM mappings ------------------------------------------------------------------------------------------


def _clean_mapping(mapping: UtmMapping) -> None:
    for field in UTM_FIELDS:
        setattr(mapping, field, (getattr(mapping, field) or "").strip().lower())
    errors = {}
    if not mapping.specificity:
        errors["utm_source"] = _(
            "Fill in at least one of utm_source, utm_medium, utm_campaign; "
            "requests without a match get the form's default channel."
        )
    if mapping.event_id and mapping.channel_id and mapping.channel.source_type != SourceType.EVENT:
        errors["event"] = _("The channel “%(channel)s” does not take a marketing event as its source.") % {
            "channel": mapping.channel.name
        }
    same = UtmMapping.objects.filter(
        form=mapping.form_id, **{field: getattr(mapping, field) for field in UTM_FIELDS}
    ).exclude(pk=mapping.pk)
    if mapping.specificity and same.exists():
        errors["utm_source"] = _("A mapping with these values exists already.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def utm_mapping_create(*, actor, data: dict) -> UtmMapping:
    ensure_role_can(actor, "add", RESOURCE)
    mapping = UtmMapping()
    model_assign(mapping, data, MAPPING_FIELDS)
    _clean_mapping(mapping)
    validate_and_save(mapping, actor=actor)
    return mapping


@transaction.atomic
def utm_mapping_update(*, actor, mapping: UtmMapping, data: dict) -> UtmMapping:
    ensure_role_can(actor, "change", RESOURCE)
    if model_assign(mapping, data, MAPPING_FIELDS):
        _clean_mapping(mapping)
        validate_and_save(mapping, actor=actor)
    return mapping


@transaction.atomic
def utm_mapping_delete(*, actor, mapping: UtmMapping) -> None:
    ensure_role_can(actor, "delete", RESOURCE)
    mapping._history_user = actor
    mapping.delete()


# --- a visitor's request --------------------------------------------------------------------------------------


def clean_lead_data(data: dict) -> dict:
    """The request's fields, trimmed; refused (naming the field) without a name or without any way to
    answer, or with a phone or e-mail that is not one."""
    from django.core.validators import validate_email

    cleaned = {key: str(data.get(key) or "").strip()[:limit] for key, limit in LEAD_FIELDS.items()}
    errors = {}
    if not cleaned["name"]:
        errors["name"] = _("Tell us your name.")
    if not cleaned["phone"] and not cleaned["email"]:
        errors["phone"] = _("Give a phone or an e-mail address, so that we can answer you.")
    if cleaned["phone"] and not PHONE_RE.match(cleaned["phone"]):
        errors["phone"] = _(
            "This is not a phone number: use digits, spaces, brackets, dashes and a leading +."
        )
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = _("This is not an e-mail address.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_utm(utm: dict | None) -> dict[str, str]:
    return {field: str((utm or {}).get(field) or "").strip()[:100] for field in UTM_FIELDS}


def lead_interest(*, form: LeadForm, utm: dict[str, str]) -> dict:
    """The primary interest a request brings: the matching UTM mapping's channel (and its event, when the
    channel's sources are events), else the form's default channel; {} when neither is set."""
    from sdelka.marketing.services import SOURCE_KEY, primary_interest_clean

    mapping = selectors.utm_mapping_for(form=form, utm=utm)
    if mapping is not None:
        event = mapping.event if mapping.channel.source_type == SourceType.EVENT else None
        try:
            primary_interest_clean(channel=mapping.channel, source=event)
        except ValidationError:
            event = None
        return {CHANNEL_FIELD: mapping.channel, SOURCE_KEY: event}
    if form.default_channel_id:
        return {CHANNEL_FIELD: form.default_channel, SOURCE_KEY: None}
    return {}


def _responsible(form: LeadForm, partner) -> User:
    """A known client's own manager keeps them; a new one (or one without an active manager) goes to the
    form's manager."""
    if partner is not None and partner.manager_id and partner.manager.is_active:
        return partner.manager
    return form.manager


def lead_spam_record(
    *, form: LeadForm, data: dict, ip: str | None, utm: dict | None = None
) -> LeadSubmission:
    """Log a request refused as spam (honeypot filled, sent too fast): no partner, deal or anything else."""
    kept = {key: str(data.get(key) or "")[:limit] for key, limit in LEAD_FIELDS.items()}
    return LeadSubmission.objects.create(
        form=form, ip_address=ip or None, data={**kept, **clean_utm(utm)}, outcome=LeadOutcome.SPAM
    )


@transaction.atomic
def lead_submit(*, form: LeadForm, data: dict, ip: str | None, utm: dict | None = None) -> LeadSubmission:
    """Turn a visitor's request into a client, a contact person, a deal and an incoming interaction.

    An existing partner found by e-mail or phone is used instead of a new one (and its contact person,
    when the match was a contact's; else the visitor becomes a new contact person of that partner). A
    new partner is a potential client of the form's manager with the primary interest of the visit; the
    deal (of the form's kind) carries that interest too. The responsible manager is notified. Runs as the
    system (no user): a refusal raises ``ValidationError`` and stores nothing.
    """
    from sdelka.activities.services.notifications import notification_create
    from sdelka.deals.services import deal_create
    from sdelka.interactions.choices import Direction, InteractionKind
    from sdelka.interactions.services import interaction_create
    from sdelka.partners import services as partner_services
    from sdelka.partners.choices import PartnerKind

    problem = selectors.lead_form_problem(form)
    if problem:
        raise ValidationError(problem)
    fields = clean_lead_data(data)
    utm = clean_utm(utm)
    interest = lead_interest(form=form, utm=utm)
    match = selectors.lead_match(email=fields["email"], phone=fields["phone"])
    phones = [fields["phone"]] if fields["phone"] else []
    emails = [fields["email"]] if fields["email"] else []
    if match is None:
        manager = form.manager
        partner = partner_services.partner_create(
            actor=None,
            data={
                "name": fields["company"] or fields["name"],
                "kind": PartnerKind.COMPANY if fields["company"] else PartnerKind.PERSON,
                "is_client": True,
                "manager": manager,
                "comment": _("From the web form “%(form)s”.") % {"form": form.name},
                **interest,
            },
        )
        contact, outcome = None, LeadOutcome.CREATED
    else:
        partner, contact, outcome = match.partner, match.contact, LeadOutcome.MATCHED
        manager = _responsible(form, partner)
        if not partner.is_client:
            partner_services.partner_update(actor=None, partner=partner, data={"is_client": True})
    if contact is None:
        contact = partner_services.contact_person_create(
            actor=None, data={"partner": partner, "name": fields["name"], "phones": phones, "emails": emails}
        )
    title = _("Request from the web form “%(form)s”") % {"form": form.name}
    deal = deal_create(
        actor=None,
        data={
            "name": f"{title}: {partner.name}"[:255],
            "partner": partner,
            "kind": form.deal_kind,
            "manager": manager,
            "contacts": [contact],
            "description": fields["comment"],
            **interest,
        },
    )
    details = [
        f"{_('Name')}: {fields['name']}",
        *([f"{_('Company')}: {fields['company']}"] if fields["company"] else []),
        *([f"{_('Phone')}: {fields['phone']}"] if fields["phone"] else []),
        *([f"{_('E-mail')}: {fields['email']}"] if fields["email"] else []),
        *(f"{field}: {value}" for field, value in utm.items() if value),
    ]
    interaction_create(
        actor=None,
        data={
            "kind": InteractionKind.EMAIL,
            "direction": Direction.INCOMING,
            "partner": partner,
            "subject": deal,
            "contacts": [contact],
            "responsible": manager,
            "topic": title[:255],
            "text": "\n\n".join(part for part in (fields["comment"], "\n".join(details)) if part),
            "email_from": fields["email"],
        },
    )
    submission = LeadSubmission.objects.create(
        form=form,
        ip_address=ip or None,
        data={**fields, **utm},
        outcome=outcome,
        partner=partner,
        contact=contact,
        deal=deal,
    )
    from django.contrib.contenttypes.models import ContentType

    notification_create(
        user=manager,
        text=(
            _("New request from the web form “%(form)s”: %(partner)s")
            if outcome == LeadOutcome.CREATED
            else _("Request from the web form “%(form)s” by a known partner: %(partner)s")
        )
        % {"form": form.name, "partner": partner.name},
        link=reverse("deals:deal_detail", args=[deal.pk]),
        target_type_id=ContentType.objects.get_for_model(deal).pk,
        target_id=deal.pk,
    )
    return submission
