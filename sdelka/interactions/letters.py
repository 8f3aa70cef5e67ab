"""Letters from templates: the placeholders a template may use, checking a template, and filling it in.

A placeholder is ``{{ object.field }}`` from the fixed list below; it is replaced by plain text computed
here. Nothing else in a template is interpreted: no tags, filters or attribute lookups run, so a template
written by a user can never execute code or reach data it was not given.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# What looks like template code but is not a placeholder: told apart so the message can say so.
OTHER_CODE = re.compile(r"\{%|%\}|\{#|#\}")

#: object → (its name for people, {field: description}); ``unsubscribe_url`` stands alone.
OBJECTS: dict[str, tuple] = {
    "partner": (gettext_lazy("partner"), {"name": gettext_lazy("the partner's name")}),
    "contact": (gettext_lazy("contact person"), {"name": gettext_lazy("the contact person's full name")}),
    "deal": (
        gettext_lazy("deal"),
        {
            "number": gettext_lazy("the deal's number"),
            "name": gettext_lazy("the deal's name"),
            "stage": gettext_lazy("the deal's stage"),
            "amount": gettext_lazy("the expected amount with the currency"),
        },
    ),
    "quote": (
        gettext_lazy("commercial proposal"),
        {
            "number": gettext_lazy("the proposal's number"),
            "date": gettext_lazy("the proposal's date"),
            "total": gettext_lazy("the proposal's total with VAT and the currency"),
            "valid_until": gettext_lazy("valid until"),
        },
    ),
    "claim": (
        gettext_lazy("customer claim"),
        {"number": gettext_lazy("the claim's number"), "deadline": gettext_lazy("the claim's deadline")},
    ),
    "manager": (
        gettext_lazy("manager"),
        {
            "name": gettext_lazy("the responsible manager's name"),
            "email": gettext_lazy("the manager's e-mail"),
            "phone": gettext_lazy("the manager's phone"),
        },
    ),
    "company": (gettext_lazy("our company"), {"name": gettext_lazy("our company's name")}),
}
STANDALONE = {"unsubscribe_url": gettext_lazy("the link that unsubscribes the recipient")}


def placeholder_names() -> list[str]:
    """Every placeholder a template may use, as written in a template."""
    names = [f"{obj}.{name}" for obj, (_label, fields) in OBJECTS.items() for name in fields]
    return [*names, *STANDALONE]


def placeholder_help() -> list[tuple[str, str]]:
    """(``{{ placeholder }}``, what it is) for the template form's cheat sheet."""
    rows = [
        ("{{ " + f"{obj}.{name}" + " }}", str(description))
        for obj, (_label, fields) in OBJECTS.items()
        for name, description in fields.items()
    ]
    return [*rows, *(("{{ " + name + " }}", str(description)) for name, description in STANDALONE.items())]


def placeholders_used(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text or "")]


def objects_used(*texts: str) -> set[str]:
    """The objects (``deal``, ``quote``…) the texts' placeholders need."""
    return {name.split(".", 1)[0] for text in texts for name in placeholders_used(text) if "." in name}


def check_text(text: str) -> list[str]:
    """What is wrong with the placeholders of ``text``, one message per problem (empty when all is well)."""
    problems: list[str] = []
    known = set(placeholder_names())
    for name in placeholders_used(text):
        if name not in known:
            problems.append(
                _("Unknown placeholder “{{ %(name)s }}”. Use one of: %(known)s.")
                % {"name": name, "known": ", ".join(placeholder_names())}
            )
    rest = PLACEHOLDER.sub("", text or "")
    if "{{" in rest or "}}" in rest:
        problems.append(_("A placeholder is not closed: write it as {{ partner.name }}."))
    if OTHER_CODE.search(rest):
        problems.append(_("Only placeholders like {{ partner.name }} are allowed, no other template code."))
    return problems


def check_template(*, subject: str, body: str) -> None:
    """Raise a ``ValidationError`` naming the field and the bad placeholder; nothing is saved then."""
    errors = {}
    for name, text in (("subject", subject), ("body", body)):
        problems = check_text(text)
        if problems:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)


@dataclass
class LetterContext:
    """The records one letter is about; any may be missing, and their placeholders are left blank."""

    partner: object = None
    contact: object = None
    deal: object = None
    quote: object = None
    claim: object = None
    manager: object = None
    company: object = None
    unsubscribe_url: str = ""
    extra: dict = field(default_factory=dict)


def _money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}"


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True) if value else ""


def _values(context: LetterContext) -> dict[str, str]:
    """The text of every placeholder for this context (in the active language)."""
    values: dict[str, str] = {name: "" for name in placeholder_names()}
    if context.partner is not None:
        values["partner.name"] = context.partner.name
    if context.contact is not None:
        values["contact.name"] = context.contact.name
    deal = context.deal
    if deal is not None:
        values["deal.number"] = deal.number
        values["deal.name"] = deal.name
        values["deal.stage"] = deal.stage.name if deal.stage_id else ""
        values["deal.amount"] = _money(deal.expected_amount, deal.currency)
    quote = context.quote
    if quote is not None:
        values["quote.number"] = quote.number
        values["quote.date"] = _date(quote.date)
        values["quote.total"] = _money(quote.amount_gross, quote.currency)
        values["quote.valid_until"] = _date(quote.valid_until)
    claim = context.claim
    if claim is not None:
        values["claim.number"] = claim.number
        values["claim.deadline"] = _date(claim.deadline)
    manager = context.manager
    if manager is not None:
        values["manager.name"] = str(manager)
        values["manager.email"] = manager.email
        values["manager.phone"] = manager.phone
    if context.company is not None:
        values["company.name"] = context.company.name
    values["unsubscribe_url"] = context.unsubscribe_url
    return values


def fill(text: str, context: LetterContext, *, language: str) -> str:
    """``text`` with its placeholders replaced; an unknown one (a template saved before a check) stays as
    written rather than failing the letter."""
    with translation.override(language):
        values = _values(context)

    def replace(match: re.Match) -> str:
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER.sub(replace, text or "")


def render(template, context: LetterContext) -> tuple[str, str]:
    """(subject, body) of ``template`` filled in for ``context``; the body gets the unsubscribe link at the
    end unless the template places it itself."""
    subject = " ".join(fill(template.subject, context, language=template.language).split())
    body = fill(template.body, context, language=template.language)
    if context.unsubscribe_url and "unsubscribe_url" not in placeholders_used(template.body):
        with translation.override(template.language):
            footer = _("To receive no more letters like this one, follow the link: %(url)s") % {
                "url": context.unsubscribe_url
            }
        body = f"{body.rstrip()}\n\n--\n{footer}\n"
    return subject, body
