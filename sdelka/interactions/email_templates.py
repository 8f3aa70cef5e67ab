"""Writes and the preview of e-mail templates (``EmailTemplate``).

A template whose placeholders are wrong is refused with the bad placeholder named, so a rule or a mailing
never sends a letter with ``{{ parnter.name }}`` in it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.interactions import letters
from sdelka.interactions.models import EmailTemplate

TEMPLATE_FIELDS = ("name", "subject", "body", "language", "is_active")


@transaction.atomic
def email_template_create(*, actor, data: dict) -> EmailTemplate:
    ensure_role_can(actor, "add", "email_template")
    template = EmailTemplate(
        language=settings.LANGUAGE_CODE, created_by=actor if isinstance(actor, User) else None
    )
    model_assign(template, data, TEMPLATE_FIELDS)
    letters.check_template(subject=template.subject, body=template.body)
    validate_and_save(template, actor=actor)
    return template


@transaction.atomic
def email_template_update(*, actor, template: EmailTemplate, data: dict) -> EmailTemplate:
    ensure_role_can(actor, "change", "email_template")
    changed = model_assign(template, data, TEMPLATE_FIELDS)
    letters.check_template(subject=template.subject, body=template.body)
    if {"subject", "body"} & set(changed):
        from sdelka.activities.services.mailing_rules import rules_check_template

        rules_check_template(template)
    if changed:
        validate_and_save(template, actor=actor)
    return template


@transaction.atomic
def email_template_delete(*, actor, template: EmailTemplate) -> None:
    ensure_role_can(actor, "delete", "email_template")
    template._history_user = actor
    try:
        template.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("Mailing rules send this template; change or delete them first, or make the template inactive.")
        ) from error


def email_template_preview(
    *, subject: str, body: str, language: str, context: letters.LetterContext
) -> tuple[str, str]:
    """The letter as a recipient would get it, from unsaved text; bad placeholders raise as on saving."""
    letters.check_template(subject=subject, body=body)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages of the interface.")})
    draft = EmailTemplate(subject=subject, body=body, language=language)
    return letters.render(draft, context)


def preview_context(
    *, user, deal=None, quote=None, claim=None, contact=None, partner=None, needs: set[str] = frozenset()
) -> letters.LetterContext:
    """The records a preview fills the placeholders from: those chosen (already checked to be in the user's
    scope), completed from one another; with none chosen, the user's latest deal and its latest proposal, so
    that a preview shows real-looking text rather than blanks."""
    from sdelka.core.company import company_get
    from sdelka.deals.selectors import deal_list
    from sdelka.documents.models import Quote

    if not any((deal, quote, claim, contact, partner)):
        # The records the text needs most: a claim for a claim letter, a proposal for a proposal letter.
        if "claim" in needs:
            from sdelka.claims.selectors import claim_list

            claim = claim_list(user=user).order_by("-id").first()
        elif "quote" in needs:
            from sdelka.documents.selectors import document_list

            quote = document_list(Quote, user=user).order_by("-id").first()
        if claim is None and quote is None:
            deal = deal_list(user=user).select_related("partner", "manager", "stage").order_by("-id").first()
            if deal is not None:
                quote = Quote.objects.filter(deal=deal).order_by("-id").first()
    if quote is not None:
        deal = deal or quote.deal
        partner = partner or quote.partner
    if claim is not None:
        deal = deal or claim.deal
        partner = partner or claim.partner
    if deal is not None:
        partner = partner or deal.partner
        contact = contact or deal.contacts.first()
    if contact is not None:
        partner = partner or contact.partner
    if partner is not None and contact is None:
        contact = partner.contacts.first()
    manager = None
    for record in (claim, quote, deal, partner):
        manager = getattr(record, "responsible", None) or getattr(record, "manager", None)
        if manager is not None:
            break
    return letters.LetterContext(
        partner=partner,
        contact=contact,
        deal=deal,
        quote=quote,
        claim=claim,
        manager=manager or user,
        company=company_get(),
        unsubscribe_url=settings.SDELKA_SITE_URL.rstrip("/") + "/unsubscribe/…/",
    )
