"""Choices of the classification: subjects, criteria, period types, classes and relationship stages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Subject(models.TextChoices):
    CLIENTS = "clients", _("Clients")
    PRODUCTS = "products", _("Products")


class Criterion(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    GROSS_PROFIT = "gross_profit", _("Gross profit")
    SALES_COUNT = "sales_count", _("Number of sale documents")


class PeriodType(models.TextChoices):
    MONTH = "month", pgettext_lazy("period", "Month")
    QUARTER = "quarter", pgettext_lazy("period", "Quarter")
    HALF_YEAR = "half_year", pgettext_lazy("period", "Half-year")
    YEAR = "year", pgettext_lazy("period", "Year")


class AbcClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class XyzClass(models.TextChoices):
    X = "X", "X"
    Y = "Y", "Y"
    Z = "Z", "Z"


class Stage(models.TextChoices):
    """A client's relationship stage in a period ("стадия взаимоотношений")."""

    POTENTIAL = "potential", pgettext_lazy("relationship stage", "Potential")
    ONE_TIME = "one_time", pgettext_lazy("relationship stage", "One-time")
    REGULAR = "regular", pgettext_lazy("relationship stage", "Regular")
    LOST = "lost", pgettext_lazy("relationship stage", "Lost")


CELLS = [abc + xyz for abc in AbcClass.values for xyz in XyzClass.values]


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("background job status", "Queued")
    RUNNING = "running", pgettext_lazy("background job status", "Running")
    DONE = "done", pgettext_lazy("background job status", "Done")
    FAILED = "failed", pgettext_lazy("background job status", "Failed")
