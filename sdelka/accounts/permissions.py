"""What each role may do with each kind of record — the one table every page and endpoint consults.

Which *records* a user may touch is decided by the scope selectors (``sdelka.partners.selectors``);
this table decides which *actions* a role has at all. Both are checked on the server.
"""

from __future__ import annotations

from sdelka.accounts.choices import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

EVERYONE = frozenset(Role.values)
SALES = frozenset({Role.MANAGER, Role.HEAD, Role.ADMIN})
LEADS = frozenset({Role.HEAD, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
MARKETERS = frozenset({Role.MARKETER, Role.ADMIN})
# Letters that go to clients on their own: the people who answer for what clients receive.
OUTREACH = frozenset({Role.MARKETER, Role.HEAD, Role.ADMIN})

RULES: dict[str, dict[str, frozenset[str]]] = {
    "partner": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: LEADS},
    "counterparty": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "contact": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "individual": {VIEW: EVERYONE, ADD: EVERYONE, CHANGE: EVERYONE, DELETE: LEADS},
    "partner_group": {VIEW: EVERYONE, ADD: LEADS, CHANGE: LEADS, DELETE: LEADS},
    "product": {VIEW: EVERYONE, ADD: LEADS, CHANGE: LEADS, DELETE: LEADS},
    "product_group": {VIEW: EVERYONE, ADD: LEADS, CHANGE: LEADS, DELETE: LEADS},
    "contract": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: LEADS},
    "deal": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: LEADS},
    # Only drafts are deleted; a posted sale must be unposted first, and that is a change.
    "quote": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "sales_order": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "sale": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "purchase_order": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "deal_expense": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: SALES},
    "deal_kind": {VIEW: EVERYONE, ADD: ADMINS, CHANGE: ADMINS, DELETE: ADMINS},
    "lost_reason": {VIEW: EVERYONE, ADD: ADMINS, CHANGE: ADMINS, DELETE: ADMINS},
    "user": {VIEW: EVERYONE, ADD: ADMINS, CHANGE: ADMINS, DELETE: ADMINS},
    "interaction": {VIEW: EVERYONE, ADD: EVERYONE, CHANGE: EVERYONE, DELETE: LEADS},
    "task": {VIEW: EVERYONE, ADD: EVERYONE, CHANGE: EVERYONE, DELETE: LEADS},
    # Reminders and notifications are a user's own; the scope keeps everyone to theirs.
    "reminder": {VIEW: EVERYONE, ADD: EVERYONE, CHANGE: EVERYONE, DELETE: EVERYONE},
    "notification": {VIEW: EVERYONE, ADD: EVERYONE, CHANGE: EVERYONE, DELETE: EVERYONE},
    "claim": {VIEW: EVERYONE, ADD: SALES, CHANGE: SALES, DELETE: LEADS},
    # Our own company (the seller on documents): everyone reads its requisites, administrators keep them.
    "company": {VIEW: EVERYONE, ADD: ADMINS, CHANGE: ADMINS, DELETE: ADMINS},
    # Marketing data: marketers keep it, everyone else reads it.
    "ad_channel": {VIEW: EVERYONE, ADD: MARKETERS, CHANGE: MARKETERS, DELETE: MARKETERS},
    "marketing_event": {VIEW: EVERYONE, ADD: MARKETERS, CHANGE: MARKETERS, DELETE: MARKETERS},
    "email_template": {VIEW: EVERYONE, ADD: OUTREACH, CHANGE: OUTREACH, DELETE: OUTREACH},
    "mailing_rule": {VIEW: EVERYONE, ADD: OUTREACH, CHANGE: OUTREACH, DELETE: OUTREACH},
    "segment": {VIEW: EVERYONE, ADD: OUTREACH, CHANGE: OUTREACH, DELETE: OUTREACH},
    "mailing": {VIEW: EVERYONE, ADD: MARKETERS, CHANGE: MARKETERS, DELETE: MARKETERS},
    # The public web form's settings and its log of requests (with visitors' data): marketers only.
    "lead_form": {VIEW: MARKETERS, ADD: MARKETERS, CHANGE: MARKETERS, DELETE: MARKETERS},
    # ABC/XYZ boundaries change every stored class: administrators decide them.
    "classification_settings": {VIEW: EVERYONE, ADD: ADMINS, CHANGE: ADMINS, DELETE: ADMINS},
}


def role_can(user, action: str, resource: str) -> bool:
    """Whether the user's role allows ``action`` on ``resource`` at all (record scope is checked separately)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.effective_role in RULES[resource][action]
