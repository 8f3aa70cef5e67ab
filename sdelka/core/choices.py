"""Choices shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    RUB = "RUB", _("Russian rouble")
    KZT = "KZT", _("Kazakhstani tenge")
    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")
