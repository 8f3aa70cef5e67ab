"""The conditions of rule segments, stored as data and compiled to one database filter.

A rule is ``{"field": …, "operator": …, "value": …}``; a segment's rules are a list of them joined by AND
or OR (``Segment.match``). :data:`FIELDS` is the fixed list of condition fields, each with its operators and
the type of value each operator takes, so that the rule builder, the validation and the compiler read the
same table. :func:`segment_rules_clean` refuses a bad rule naming its number and what is wrong;
:func:`segment_rules_q` turns cleaned rules into one ``Q`` of lookups and ``Exists``/subqueries over the
partners — evaluated by the database, never by loading the partners into Python.

Periods: "the last N days" are the N days before today and today itself (``today - N … today``).
A *purchase* is a posted sale line with a positive revenue (a return is not a purchase); "sales" sum every
posted line, returns included, and count the distinct sale documents, as the analytics do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

MAX_DAYS = 36600  # a hundred years: anything longer is a typo
MAX_RULES = 30

# --- value types -------------------------------------------------------------------------------------------
# Each operator takes a value of one of these types; the rule builder shows the widget of the type.
NONE = "none"  # no value ("is empty", "never")
IDS = "ids"  # a list of record ids (groups, managers, tags, channels)
CHOICES = "choices"  # a list of codes (kinds, classes, stages)
BOOL = "bool"  # true / false
TEXT = "text"  # a string
DATE = "date"  # an ISO date
DATES = "dates"  # [from, to], ISO dates, inclusive
DAYS = "days"  # a whole number of days
SALES = "sales"  # {"amount": …, "days": N} or {"amount": …, "from": date, "to": date}


@dataclass(frozen=True)
class Operator:
    code: str
    label: str
    value_type: str


@dataclass(frozen=True)
class ConditionField:
    """A field a condition may test: its operators, and where the values of an id/choice list come from."""

    code: str
    label: str
    operators: tuple[Operator, ...]
    #: for IDS: "partner_group", "user", "tag", "ad_channel"; for CHOICES: a callable giving (code, label)s
    source: object = None

    def operator(self, code: str) -> Operator | None:
        return next((op for op in self.operators if op.code == code), None)


def _kind_choices():
    from sdelka.partners.choices import PartnerKind

    return PartnerKind.choices


def _abc_choices():
    from sdelka.analytics.choices import AbcClass

    return AbcClass.choices


def _xyz_choices():
    from sdelka.analytics.choices import XyzClass

    return XyzClass.choices


def _stage_choices():
    from sdelka.analytics.choices import Stage

    return Stage.choices


IN = Operator("in", pgettext_lazy("segment rule", "is one of"), IDS)
IN_CHOICES = Operator("in", pgettext_lazy("segment rule", "is one of"), CHOICES)
IS = Operator("is", pgettext_lazy("segment rule", "is"), BOOL)
SALES_OPERATORS = (
    Operator("gte", pgettext_lazy("segment rule", "at least"), SALES),
    Operator("lte", pgettext_lazy("segment rule", "at most"), SALES),
)
#: the classification operators: the class in the last closed period of the type
CLASS_PERIODS = {
    "in_month": "month",
    "in_quarter": "quarter",
    "in_half_year": "half_year",
    "in_year": "year",
}
CLASS_OPERATORS = (
    Operator("in_month", pgettext_lazy("segment rule", "in the last month is one of"), CHOICES),
    Operator("in_quarter", pgettext_lazy("segment rule", "in the last quarter is one of"), CHOICES),
    Operator("in_half_year", pgettext_lazy("segment rule", "in the last half-year is one of"), CHOICES),
    Operator("in_year", pgettext_lazy("segment rule", "in the last year is one of"), CHOICES),
)

FLAG_FIELDS = {
    "is_client": gettext_lazy("Client"),
    "is_supplier": gettext_lazy("Supplier"),
    "is_competitor": gettext_lazy("Competitor"),
    "is_other": gettext_lazy("Other relation"),
}

FIELDS: tuple[ConditionField, ...] = (
    ConditionField(
        "group",
        gettext_lazy("Partner group (with subgroups)"),
        (IN, Operator("is_empty", pgettext_lazy("segment rule", "is empty"), NONE)),
        "partner_group",
    ),
    ConditionField(
        "manager",
        gettext_lazy("Manager"),
        (IN, Operator("is_empty", pgettext_lazy("segment rule", "is empty"), NONE)),
        "user",
    ),
    *(ConditionField(code, label, (IS,)) for code, label in FLAG_FIELDS.items()),
    ConditionField("kind", gettext_lazy("Kind (company or person)"), (IN_CHOICES,), _kind_choices),
    ConditionField(
        "region",
        gettext_lazy("Region"),
        (
            Operator("equals", pgettext_lazy("segment rule", "equals"), TEXT),
            Operator("contains", pgettext_lazy("segment rule", "contains"), TEXT),
        ),
    ),
    ConditionField(
        "tags", gettext_lazy("Tags"), (Operator("any", pgettext_lazy("segment rule", "any of"), IDS),), "tag"
    ),
    ConditionField(
        "created",
        gettext_lazy("Created"),
        (
            Operator("before", pgettext_lazy("segment rule", "before"), DATE),
            Operator("after", pgettext_lazy("segment rule", "after"), DATE),
            Operator("between", pgettext_lazy("segment rule", "between"), DATES),
            Operator("last_days", pgettext_lazy("segment rule", "within the last N days"), DAYS),
        ),
    ),
    ConditionField(
        "interest_channel",
        gettext_lazy("Primary interest channel (with subchannels)"),
        (IN, Operator("is_empty", pgettext_lazy("segment rule", "is empty"), NONE)),
        "ad_channel",
    ),
    ConditionField("sales_revenue", gettext_lazy("Revenue of sales in a period"), SALES_OPERATORS),
    ConditionField("sales_gross_profit", gettext_lazy("Gross profit of sales in a period"), SALES_OPERATORS),
    ConditionField("sales_count", gettext_lazy("Number of sale documents in a period"), SALES_OPERATORS),
    ConditionField(
        "last_purchase",
        gettext_lazy("Last purchase"),
        (
            Operator("more_than", pgettext_lazy("segment rule", "more than N days ago"), DAYS),
            Operator(
                "more_than_or_never", pgettext_lazy("segment rule", "more than N days ago, or never"), DAYS
            ),
            Operator("never", pgettext_lazy("segment rule", "never"), NONE),
        ),
    ),
    ConditionField("abc_class", gettext_lazy("ABC class"), CLASS_OPERATORS, _abc_choices),
    ConditionField("xyz_class", gettext_lazy("XYZ class"), CLASS_OPERATORS, _xyz_choices),
    ConditionField("relationship_stage", gettext_lazy("Relationship stage"), CLASS_OPERATORS, _stage_choices),
    ConditionField("has_email_contact", gettext_lazy("Has a contact person with an e-mail"), (IS,)),
)
FIELDS_BY_CODE = {field.code: field for field in FIELDS}


def id_source_queryset(source: str):
    """The records an id list of a field is chosen from."""
    from sdelka.accounts.models import User
    from sdelka.marketing.models import AdChannel
    from sdelka.partners.models import PartnerGroup, Tag

    return {
        "partner_group": PartnerGroup.objects.all(),
        "user": User.objects.all(),
        "tag": Tag.objects.all(),
        "ad_channel": AdChannel.objects.all(),
    }[source]


def choice_list(field: ConditionField) -> list[tuple[str, str]]:
    return list(field.source()) if callable(field.source) else []


# --- validation --------------------------------------------------------------------------------------------


class _Bad(Exception):
    """What is wrong with one rule (its message, without the rule's number)."""


def _date(value, what: str) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError):
        raise _Bad(_("%(what)s must be a date (YYYY-MM-DD).") % {"what": what}) from None


def _days(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Bad(_("the number of days must be a whole number."))
    try:
        days = int(str(value).strip())
    except ValueError:
        raise _Bad(_("the number of days must be a whole number.")) from None
    if not 0 <= days <= MAX_DAYS:
        raise _Bad(_("the number of days must be from 0 to %(max)d.") % {"max": MAX_DAYS})
    return days


def _clean_value(field: ConditionField, operator: Operator, value):
    kind = operator.value_type
    if kind == NONE:
        if value not in (None, "", []):
            raise _Bad(_("this operator takes no value."))
        return None
    if kind == BOOL:
        if not isinstance(value, bool):
            raise _Bad(_("the value must be true or false."))
        return value
    if kind == TEXT:
        if not isinstance(value, str) or not value.strip():
            raise _Bad(_("enter the text to compare with."))
        if len(value) > 150:
            raise _Bad(_("the text is longer than 150 characters."))
        return value.strip()
    if kind == IDS:
        if not isinstance(value, list) or not value:
            raise _Bad(_("choose at least one value."))
        if any(isinstance(item, bool) or not str(item).strip().isdigit() for item in value):
            raise _Bad(_("the values must be record ids."))
        ids = sorted({int(str(item).strip()) for item in value})
        found = set(id_source_queryset(field.source).filter(pk__in=ids).values_list("pk", flat=True))
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise _Bad(_("no record with id %(ids)s.") % {"ids": ", ".join(missing)})
        return ids
    if kind == CHOICES:
        if not isinstance(value, list) or not value:
            raise _Bad(_("choose at least one value."))
        allowed = [code for code, _label in choice_list(field)]
        unknown = [str(item) for item in value if item not in allowed]
        if unknown:
            raise _Bad(
                _("unknown value %(values)s; allowed: %(allowed)s.")
                % {"values": ", ".join(unknown), "allowed": ", ".join(allowed)}
            )
        return [code for code in allowed if code in value]
    if kind == DATE:
        return _date(value, _("the value"))
    if kind == DATES:
        if not isinstance(value, list) or len(value) != 2:
            raise _Bad(_("give two dates: from and to."))
        start, end = _date(value[0], _("the first date")), _date(value[1], _("the second date"))
        if start > end:
            raise _Bad(_("the first date is after the second."))
        return [start, end]
    if kind == DAYS:
        return _days(value)
    if kind == SALES:
        return _clean_sales(field, value)
    raise AssertionError(kind)  # pragma: no cover - the table above names only these types


def _clean_sales(field: ConditionField, value) -> dict:
    if not isinstance(value, dict):
        raise _Bad(_("give an amount and a period (days, or from and to)."))
    unknown = set(value) - {"amount", "days", "from", "to"}
    if unknown:
        raise _Bad(_("unknown key %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    amount = value.get("amount")
    if amount is None or isinstance(amount, bool) or str(amount).strip() == "":
        raise _Bad(_("enter the amount to compare with."))
    try:
        number = Decimal(str(amount).strip().replace(",", "."))
    except InvalidOperation:
        raise _Bad(_("the amount must be a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise _Bad(_("the amount must be a number."))
    if field.code == "sales_count" and number != number.to_integral_value():
        raise _Bad(_("the number of sale documents must be a whole number."))
    cleaned: dict = {"amount": str(number.normalize() if number else Decimal("0"))}
    has_days = value.get("days") not in (None, "")
    has_range = value.get("from") not in (None, "") or value.get("to") not in (None, "")
    if has_days == has_range:
        raise _Bad(_("give the period either as a number of days or as two dates, from and to."))
    if has_days:
        cleaned["days"] = _days(value["days"])
    else:
        start, end = _date(value.get("from"), _("“from”")), _date(value.get("to"), _("“to”"))
        if start > end:
            raise _Bad(_("“from” is after “to”."))
        cleaned.update({"from": start, "to": end})
    return cleaned


def segment_rules_clean(rules) -> list[dict]:
    """The rules as they are stored (ids sorted, dates in ISO, amounts as strings), or ``ValidationError``
    on ``rules`` with one message per bad rule: "Condition 2: unknown operator …"."""
    if not isinstance(rules, list):
        raise ValidationError({"rules": [_("Rules must be a list of conditions.")]})
    if len(rules) > MAX_RULES:
        raise ValidationError({"rules": [_("At most %(max)d conditions.") % {"max": MAX_RULES}]})
    cleaned, errors = [], []
    for number, rule in enumerate(rules, start=1):
        try:
            cleaned.append(_clean_rule(rule))
        except _Bad as bad:
            errors.append(_("Condition %(number)d: %(problem)s") % {"number": number, "problem": bad.args[0]})
    if errors:
        raise ValidationError({"rules": errors})
    return cleaned


def _clean_rule(rule) -> dict:
    if not isinstance(rule, dict):
        raise _Bad(_("a condition is an object with a field, an operator and a value."))
    unknown = set(rule) - {"field", "operator", "value"}
    if unknown:
        raise _Bad(_("unknown key %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))})
    field = FIELDS_BY_CODE.get(rule.get("field")) if isinstance(rule.get("field"), str) else None
    if field is None:
        raise _Bad(_("unknown field “%(field)s”.") % {"field": rule.get("field", "")})
    operator = field.operator(rule.get("operator")) if isinstance(rule.get("operator"), str) else None
    if operator is None:
        raise _Bad(
            _("the field “%(field)s” has no operator “%(operator)s”; use one of: %(allowed)s.")
            % {
                "field": field.label,
                "operator": rule.get("operator", ""),
                "allowed": ", ".join(op.code for op in field.operators),
            }
        )
    value = _clean_value(field, operator, rule.get("value"))
    return {"field": field.code, "operator": operator.code, "value": value}


# --- compiling ---------------------------------------------------------------------------------------------


def _subtree(model, ids: list[int], field: str) -> Q:
    paths = model.objects.filter(pk__in=ids).values_list("path", flat=True)
    found = Q(pk__in=[])
    for path in paths:
        found |= Q(**{f"{field}__path__startswith": path})
    return found


def _sales_window(value: dict, today: datetime.date) -> Q:
    if "days" in value:
        return Q(date__gte=today - datetime.timedelta(days=value["days"]), date__lte=today)
    return Q(
        date__gte=datetime.date.fromisoformat(value["from"]),
        date__lte=datetime.date.fromisoformat(value["to"]),
    )


def _sales_q(field: str, operator: str, value: dict, today: datetime.date) -> Q:
    from sdelka.documents.models import SalesFact

    facts = SalesFact.objects.filter(_sales_window(value, today), partner_id=OuterRef("pk")).values(
        "partner_id"
    )
    if field == "sales_count":
        total = facts.annotate(total=Count("sale_id", distinct=True)).values("total")
        measured = Coalesce(Subquery(total, output_field=IntegerField()), Value(0))
    else:
        money = DecimalField(max_digits=18, decimal_places=2)
        total = facts.annotate(total=Sum("revenue" if field == "sales_revenue" else "gross_profit")).values(
            "total"
        )
        measured = Coalesce(Subquery(total, output_field=money), Value(Decimal("0")), output_field=money)
    amount = Decimal(value["amount"])
    lookup = GreaterThanOrEqual if operator == "gte" else LessThanOrEqual
    return Q(lookup(measured, amount))


def _purchases(**filters):
    from sdelka.documents.models import SalesFact

    return Exists(SalesFact.objects.filter(partner_id=OuterRef("pk"), revenue__gt=0, **filters))


def _rule_q(rule: dict, today: datetime.date) -> Q:
    from sdelka.analytics.choices import Subject
    from sdelka.analytics.selectors.classification_reports import subjects_with_class
    from sdelka.marketing.models import AdChannel
    from sdelka.partners.models import ContactPerson, Partner, PartnerGroup

    field, operator, value = rule["field"], rule["operator"], rule["value"]
    if field == "group":
        return Q(group__isnull=True) if operator == "is_empty" else _subtree(PartnerGroup, value, "group")
    if field == "manager":
        return Q(manager__isnull=True) if operator == "is_empty" else Q(manager_id__in=value)
    if field in FLAG_FIELDS:
        return Q(**{field: value})
    if field == "kind":
        return Q(kind__in=value)
    if field == "region":
        return Q(region__iexact=value) if operator == "equals" else Q(region__icontains=value)
    if field == "tags":
        return Q(Exists(Partner.tags.through.objects.filter(partner_id=OuterRef("pk"), tag_id__in=value)))
    if field == "created":
        if operator == "before":
            return Q(created_at__date__lt=datetime.date.fromisoformat(value))
        if operator == "after":
            return Q(created_at__date__gt=datetime.date.fromisoformat(value))
        if operator == "between":
            start, end = (datetime.date.fromisoformat(day) for day in value)
            return Q(created_at__date__gte=start, created_at__date__lte=end)
        return Q(created_at__date__gte=today - datetime.timedelta(days=value))
    if field == "interest_channel":
        if operator == "is_empty":
            return Q(primary_interest_channel__isnull=True)
        return _subtree(AdChannel, value, "primary_interest_channel")
    if field in ("sales_revenue", "sales_gross_profit", "sales_count"):
        return _sales_q(field, operator, value, today)
    if field == "last_purchase":
        if operator == "never":
            return ~Q(_purchases())
        recent = _purchases(date__gte=today - datetime.timedelta(days=value))
        if operator == "more_than_or_never":
            return ~Q(recent)
        return Q(_purchases()) & ~Q(recent)
    if field in ("abc_class", "xyz_class", "relationship_stage"):
        key = {"abc_class": "abc", "xyz_class": "xyz", "relationship_stage": "stages"}[field]
        ids = subjects_with_class(
            subject=Subject.CLIENTS, today=today, period_type=CLASS_PERIODS[operator], **{key: tuple(value)}
        )
        return Q(pk__in=ids)
    if field == "has_email_contact":
        with_email = Q(Exists(ContactPerson.objects.filter(partner_id=OuterRef("pk")).exclude(emails=[])))
        return with_email if value else ~with_email
    raise AssertionError(field)  # pragma: no cover - cleaned rules name only the fields above


def segment_rules_q(rules: list[dict], match: str, *, today: datetime.date | None = None) -> Q:
    """One filter on ``Partner`` for cleaned ``rules`` joined by AND (``match="all"``) or OR (``"any"``).

    No rules: every partner for AND, none for OR (the neutral element of each).
    """
    today = today or timezone.localdate()
    parts = [_rule_q(rule, today) for rule in rules]
    if match == "any":
        combined = Q(pk__in=[])
        for part in parts:
            combined |= part
        return combined
    combined = Q()
    for part in parts:
        combined &= part
    return combined


def describe_rule(rule: dict) -> str:
    """A rule in words for the segment page ("Region contains Moscow")."""
    field = FIELDS_BY_CODE.get(rule.get("field"))
    if field is None:
        return str(rule)
    operator = field.operator(rule.get("operator"))
    words = [str(field.label), str(operator.label) if operator else str(rule.get("operator"))]
    value = rule.get("value")
    if operator is not None and operator.value_type == IDS and isinstance(value, list):
        names = {record.pk: str(record) for record in id_source_queryset(field.source).filter(pk__in=value)}
        words.append(", ".join(str(names.get(pk, pk)) for pk in value))
    elif operator is not None and operator.value_type == CHOICES:
        labels = dict(choice_list(field))
        words.append(", ".join(str(labels.get(code, code)) for code in value))
    elif operator is not None and operator.value_type == BOOL:
        words.append(_("yes") if value else _("no"))
    elif operator is not None and operator.value_type == DATES:
        words.append(" — ".join(value))
    elif operator is not None and operator.value_type == SALES:
        if "days" in value:
            period = _("in the last %(days)s days") % {"days": value["days"]}
        else:
            period = _("from %(from)s to %(to)s") % {"from": value["from"], "to": value["to"]}
        words.append(f"{value['amount']} {period}")
    elif value not in (None, ""):
        words.append(str(value))
    return " ".join(words)
