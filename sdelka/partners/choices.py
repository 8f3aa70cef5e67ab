from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PERSON = "person", _("Person")


class Country(models.TextChoices):
    RUSSIA = "RU", _("Russia")
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    OTHER = "other", _("Other country")


class LegalForm(models.TextChoices):
    LLC = "llc", _("LLC (ООО)")
    JSC = "jsc", _("JSC (АО)")
    PJSC = "pjsc", _("PJSC (ПАО)")
    SOLE_TRADER = "sole_trader", _("Sole trader (ИП)")
    LLP = "llp", _("LLP (ТОО)")
    STATE = "state", _("State body or institution")
    OTHER = "other", _("Other")


# Legal forms whose Russian INN has 12 digits (people) rather than 10 (organisations).
PERSONAL_LEGAL_FORMS = {LegalForm.SOLE_TRADER}


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
