"""Demo trigger mailings: three e-mail templates and three mailing rules, as a sales department would set them.

The rules were switched on a month before the demo's "today", so the worker started by ``make run`` acts on
the events of that month within its first minute: tasks for the proposals clients have not answered,
letters for the claims registered since. Proposals are dated "sent" on their own dates (the services stamp
the moment of the call, which for demo data is the moment the demo was made).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.activities.models import MailingRule, RuleAction, RuleTrigger
from sdelka.activities.services.mailing_rules import mailing_rule_create
from sdelka.documents.choices import QuoteStatus
from sdelka.documents.models import Quote
from sdelka.interactions.email_templates import email_template_create

RULES_ACTIVE_FOR_DAYS = 30

TEMPLATES = {
    "claim": {
        "name": "Претензия зарегистрирована",
        "subject": "Ваша претензия {{ claim.number }} зарегистрирована",
        "body": (
            "Здравствуйте, {{ contact.name }}!\n\n"
            "Мы получили вашу претензию и зарегистрировали ее под номером {{ claim.number }}. "
            "Ответим не позднее {{ claim.deadline }}.\n\n"
            "Ваш менеджер: {{ manager.name }}, {{ manager.phone }}, {{ manager.email }}.\n"
            "{{ company.name }}"
        ),
    },
    "birthday": {
        "name": "Поздравление с днем рождения",
        "subject": "С днем рождения, {{ contact.name }}!",
        "body": (
            "Уважаемый(ая) {{ contact.name }}!\n\n"
            "Поздравляем вас с днем рождения! Желаем здоровья, успехов и удачных сделок.\n\n"
            "{{ manager.name }} и вся команда {{ company.name }}"
        ),
    },
    "quote": {
        "name": "Напоминание о коммерческом предложении",
        "subject": "Коммерческое предложение {{ quote.number }}",
        "body": (
            "Здравствуйте, {{ contact.name }}!\n\n"
            "Напоминаем о нашем предложении {{ quote.number }} от {{ quote.date }} на сумму {{ quote.total }}. "
            "Оно действует до {{ quote.valid_until }}. Будем рады ответить на вопросы.\n\n"
            "{{ manager.name }}, {{ manager.phone }}"
        ),
    },
}


def _date_quotes_sent() -> None:
    for quote in Quote.objects.exclude(status=QuoteStatus.DRAFT).only("pk", "date"):
        sent = timezone.make_aware(datetime.combine(quote.date, time(11, 0)))
        Quote.objects.filter(pk=quote.pk).update(sent_at=sent)


def create_demo_mailing_rules(*, today: date) -> int:
    """The templates and rules; how many rules."""
    _date_quotes_sent()
    author = User.objects.filter(role=Role.HEAD, is_active=True).order_by("pk").first()
    templates = {
        key: email_template_create(actor=author, data={**data, "language": "ru"})
        for key, data in TEMPLATES.items()
    }
    rules = [
        {
            "name": "КП без ответа 5 дней — задача менеджеру",
            "trigger": RuleTrigger.QUOTE_UNANSWERED,
            "days": 5,
            "action": RuleAction.CREATE_TASK,
            "text": "Позвонить {{ partner.name }}: нет ответа на КП {{ quote.number }} ({{ quote.total }})",
            "task_due_days": 1,
        },
        {
            "name": "Претензия зарегистрирована — письмо клиенту",
            "trigger": RuleTrigger.CLAIM_REGISTERED,
            "action": RuleAction.SEND_EMAIL,
            "email_template": templates["claim"],
        },
        {
            "name": "День рождения контактного лица — поздравление",
            "trigger": RuleTrigger.CONTACT_BIRTHDAY,
            "action": RuleAction.SEND_EMAIL,
            "email_template": templates["birthday"],
        },
    ]
    since = timezone.make_aware(datetime.combine(today - timedelta(days=RULES_ACTIVE_FOR_DAYS), time(9, 0)))
    for data in rules:
        rule = mailing_rule_create(actor=author, data=data)
        MailingRule.objects.filter(pk=rule.pk).update(active_since=since)
    return len(rules)
