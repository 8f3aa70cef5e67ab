from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Sales manager")
    HEAD = "head", _("Head of sales")
    MARKETER = "marketer", _("Marketer")
    ADMIN = "admin", _("Administrator")
