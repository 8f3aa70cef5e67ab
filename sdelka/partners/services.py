"""Writes of partners, counterparties, contact persons, individuals and partner groups.

Every write checks the actor's role, validates with the model's rules, runs in one transaction and leaves
a history row attributed to the actor. Pages and the API call these same functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core import tree
from sdelka.core.history import save_with_history
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.core.validators import clean_string_list
from sdelka.marketing import interest
from sdelka.marketing.services import primary_interest_from_data
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Tag
from sdelka.partners.selectors import counterparty_duplicates

PARTNER_FIELDS = (
    "name",
    "kind",
    "is_client",
    "is_supplier",
    "is_competitor",
    "is_other",
    "group",
    "manager",
    "phones",
    "emails",
    "address",
    "region",
    "website",
    "comment",
    *interest.ALL_FIELDS,
)
COUNTERPARTY_FIELDS = (
    "partner",
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
)
CONTACT_PERSON_FIELDS = ("partner", "name", "position", "phones", "emails", "birthday", "comment")
INDIVIDUAL_FIELDS = ("name", "gender", "birthday", "inn", "phones", "emails", "address", "comment")


class DuplicateCounterparty(ValidationError):
    """A counterparty with the same tax id exists; the caller may confirm and create it anyway."""

    def __init__(self, field: str, existing: list[Counterparty]):
        self.existing = existing
        super().__init__({field: _("A counterparty with this tax id already exists.")}, code="duplicate")


def _ensure_manager_assignable(actor, manager: User | None) -> None:
    """A manager may give partners only to themself; a head only within the team; an admin to anyone."""
    if actor is None or manager is None:
        return
    if not manager.is_active:
        raise ValidationError(
            {"manager": _("%(user)s is deactivated and cannot be responsible.") % {"user": manager}}
        )
    covered = covered_user_ids(actor)
    if covered is not None and not covered.filter(pk=manager.pk).exists():
        raise ValidationError(
            {
                "manager": _("You cannot make %(user)s responsible: they are outside your team.")
                % {"user": manager}
            }
        )


def _tags_set(partner: Partner, names: Iterable[str]) -> None:
    names = clean_string_list(names)
    for name in names:
        if len(name) > 50:
            raise ValidationError(
                {"tags": _("A tag is at most 50 characters: “%(tag)s…”.") % {"tag": name[:50]}}
            )
    existing = {t.name.lower(): t for t in Tag.objects.filter(name__in=names)}
    tags = [existing.get(n.lower()) or Tag.objects.get_or_create(name=n)[0] for n in names]
    partner.tags.set(tags)


@transaction.atomic
def partner_create(*, actor, data: dict) -> Partner:
    ensure_role_can(actor, "add", "partner")
    data = dict(data)
    tags = data.pop("tags", None)
    for key in ("phones", "emails"):
        if key in data:
            data[key] = clean_string_list(data[key]) if isinstance(data[key], list) else data[key]
    partner = Partner(created_by=actor if isinstance(actor, User) else None)
    data.update(primary_interest_from_data(partner, data, actor=actor))
    model_assign(partner, data, PARTNER_FIELDS)
    _ensure_manager_assignable(actor, partner.manager)
    validate_and_save(partner, actor=actor)
    if tags is not None:
        _tags_set(partner, tags)
    return partner


@transaction.atomic
def partner_update(*, actor, partner: Partner, data: dict) -> Partner:
    ensure_role_can(actor, "change", "partner")
    data = dict(data)
    tags = data.pop("tags", None)
    for key in ("phones", "emails"):
        if key in data and isinstance(data[key], list):
            data[key] = clean_string_list(data[key])
    old_manager_id = partner.manager_id
    data.update(primary_interest_from_data(partner, data, actor=actor))
    changed = model_assign(partner, data, PARTNER_FIELDS)
    if "manager" in changed and partner.manager_id != old_manager_id:
        _ensure_manager_assignable(actor, partner.manager)
    if changed:
        validate_and_save(partner, actor=actor)
    if tags is not None:
        _tags_set(partner, tags)
    return partner


@transaction.atomic
def partner_delete(*, actor, partner: Partner) -> None:
    ensure_role_can(actor, "delete", "partner")
    partner._history_user = actor
    try:
        partner.delete()
    except ProtectedError as error:
        raise ValidationError(_("The partner is used in other records and cannot be deleted.")) from error


@transaction.atomic
def partners_move_to_group(*, actor, partners: Iterable[Partner], group: PartnerGroup | None) -> int:
    """Put each partner into ``group`` (None: out of every group); returns how many moved."""
    ensure_role_can(actor, "change", "partner")
    return tree.items_move_to_group(partners, actor=actor, group=group)


def _check_counterparty_partner_in_scope(actor, partner: Partner) -> None:
    from sdelka.partners.selectors import partner_list

    if actor is not None and not partner_list(user=actor).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("Partner not found.")})


@transaction.atomic
def counterparty_create(*, actor, data: dict, allow_duplicate: bool = False) -> Counterparty:
    """Create a counterparty; one whose tax id exists already is refused unless ``allow_duplicate``."""
    ensure_role_can(actor, "add", "counterparty")
    counterparty = Counterparty()
    model_assign(counterparty, data, COUNTERPARTY_FIELDS)
    if counterparty.partner_id:
        _check_counterparty_partner_in_scope(actor, counterparty.partner)
    counterparty.normalize_ids()
    counterparty.full_clean()
    if not allow_duplicate:
        existing = list(
            counterparty_duplicates(country=counterparty.country, inn=counterparty.inn, bin=counterparty.bin)[
                :5
            ]
        )
        if existing:
            raise DuplicateCounterparty("bin" if counterparty.country == "KZ" else "inn", existing)
    save_with_history(counterparty, actor=actor)
    return counterparty


@transaction.atomic
def counterparty_update(*, actor, counterparty: Counterparty, data: dict) -> Counterparty:
    ensure_role_can(actor, "change", "counterparty")
    changed = model_assign(counterparty, data, COUNTERPARTY_FIELDS)
    if "partner" in changed:
        _check_counterparty_partner_in_scope(actor, counterparty.partner)
    if changed:
        counterparty.normalize_ids()
        validate_and_save(counterparty, actor=actor)
    return counterparty


@transaction.atomic
def counterparty_delete(*, actor, counterparty: Counterparty) -> None:
    ensure_role_can(actor, "delete", "counterparty")
    counterparty._history_user = actor
    try:
        counterparty.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The counterparty is used in other records and cannot be deleted.")
        ) from error


@transaction.atomic
def contact_person_create(*, actor, data: dict) -> ContactPerson:
    ensure_role_can(actor, "add", "contact")
    data = {
        k: clean_string_list(v) if k in ("phones", "emails") and isinstance(v, list) else v
        for k, v in data.items()
    }
    contact = ContactPerson()
    model_assign(contact, data, CONTACT_PERSON_FIELDS)
    if contact.partner_id:
        _check_counterparty_partner_in_scope(actor, contact.partner)
    validate_and_save(contact, actor=actor)
    return contact


@transaction.atomic
def contact_person_update(*, actor, contact: ContactPerson, data: dict) -> ContactPerson:
    ensure_role_can(actor, "change", "contact")
    data = {
        k: clean_string_list(v) if k in ("phones", "emails") and isinstance(v, list) else v
        for k, v in data.items()
    }
    changed = model_assign(contact, data, CONTACT_PERSON_FIELDS)
    if "partner" in changed:
        _check_counterparty_partner_in_scope(actor, contact.partner)
    if changed:
        validate_and_save(contact, actor=actor)
    return contact


@transaction.atomic
def contact_person_delete(*, actor, contact: ContactPerson) -> None:
    ensure_role_can(actor, "delete", "contact")
    contact._history_user = actor
    contact.delete()


@transaction.atomic
def individual_create(*, actor, data: dict) -> Individual:
    ensure_role_can(actor, "add", "individual")
    data = {
        k: clean_string_list(v) if k in ("phones", "emails") and isinstance(v, list) else v
        for k, v in data.items()
    }
    individual = Individual()
    model_assign(individual, data, INDIVIDUAL_FIELDS)
    validate_and_save(individual, actor=actor)
    return individual


@transaction.atomic
def individual_update(*, actor, individual: Individual, data: dict) -> Individual:
    ensure_role_can(actor, "change", "individual")
    data = {
        k: clean_string_list(v) if k in ("phones", "emails") and isinstance(v, list) else v
        for k, v in data.items()
    }
    if model_assign(individual, data, INDIVIDUAL_FIELDS):
        validate_and_save(individual, actor=actor)
    return individual


@transaction.atomic
def individual_delete(*, actor, individual: Individual) -> None:
    ensure_role_can(actor, "delete", "individual")
    individual._history_user = actor
    individual.delete()


def partner_group_create(*, actor, name: str, parent: PartnerGroup | None = None) -> PartnerGroup:
    ensure_role_can(actor, "add", "partner_group")
    return tree.group_create(PartnerGroup, actor=actor, name=name, parent=parent)


def partner_group_rename(*, actor, group: PartnerGroup, name: str) -> PartnerGroup:
    ensure_role_can(actor, "change", "partner_group")
    return tree.group_rename(group, actor=actor, name=name)


def partner_group_move(*, actor, group: PartnerGroup, parent: PartnerGroup | None) -> PartnerGroup:
    ensure_role_can(actor, "change", "partner_group")
    return tree.group_move(group, actor=actor, parent=parent)


def partner_group_delete(*, actor, group: PartnerGroup) -> None:
    ensure_role_can(actor, "delete", "partner_group")
    tree.group_delete(group, actor=actor, item_model=Partner, item_label=_("partners"))
