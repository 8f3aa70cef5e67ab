"""Shared model bases (timestamps, the hierarchical catalog group) and our own company, the seller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.partners import taxids


class TimeStampedModel(models.Model):
    """Adds creation and last-change times; every business record has them."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        abstract = True


class CatalogGroup(TimeStampedModel):
    """A node of a hierarchical catalog ("группа справочника") of any depth.

    ``path`` is a materialized path of ids ("/3/17/42/") so that "this group with all its subgroups" is
    one indexed ``startswith`` query in any database, and moving a subtree is one UPDATE.
    It is maintained only by ``sdelka.core.tree`` services, never by hand.
    """

    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        """0 for a top-level group."""
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class Company(TimeStampedModel):
    """Our own organisation ("наша организация"): the seller on printed documents. There is one record.

    The single row always has ``pk = COMPANY_PK`` (a check constraint keeps it so), which makes "the
    company" one primary-key lookup and a second row impossible even under concurrent saves. It is written
    only by ``sdelka.core.company.company_update``. Tax ids and accounts follow the same official checksum
    rules as a Russian counterparty's (``sdelka.partners.taxids``); a 12-digit INN is a sole trader's.
    """

    COMPANY_PK = 1
    ID_FIELDS = ("inn", "kpp", "ogrn", "bik", "bank_account", "correspondent_account")

    name = models.CharField(_("name"), max_length=255, help_text=_("Short name, as on documents."))
    full_name = models.CharField(_("full legal name"), max_length=500, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    legal_address = models.CharField(_("legal address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True)
    bank_account = models.CharField(_("settlement account"), max_length=20, blank=True)
    correspondent_account = models.CharField(_("correspondent account"), max_length=20, blank=True)
    director = models.CharField(_("director"), max_length=255, blank=True)
    chief_accountant = models.CharField(_("chief accountant"), max_length=255, blank=True)
    vat_payer = models.BooleanField(_("VAT payer"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("our company")
        verbose_name_plural = _("our company")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="company_single_row")]

    def __str__(self) -> str:
        return self.name

    def normalize(self) -> None:
        """People type ids and accounts with spaces ("7707 083893"); store digits as one word."""
        self.name = (self.name or "").strip()
        for field in self.ID_FIELDS:
            setattr(self, field, "".join((getattr(self, field) or "").split()).upper())

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def check(field: str, validator, *args, **kwargs) -> None:
            value = getattr(self, field)
            if value and field not in errors:
                try:
                    validator(value, *args, **kwargs)
                except ValidationError as error:
                    errors.setdefault(field, []).extend(error.messages)

        self.normalize()
        check("inn", taxids.validate_inn)
        check("kpp", taxids.validate_kpp)
        check("ogrn", taxids.validate_ogrn)
        check("bik", taxids.validate_bik)
        if self.inn and len(self.inn) == 12 and self.kpp and "inn" not in errors:
            errors.setdefault("kpp", []).append(_("A sole trader (12-digit INN) has no KPP."))
        if self.bank_account or self.correspondent_account:
            if not self.bik:
                errors.setdefault("bik", []).append(_("Enter the bank's BIK to check the accounts."))
            elif "bik" not in errors:
                check("bank_account", taxids.validate_bank_account, self.bik)
                check("correspondent_account", taxids.validate_bank_account, self.bik, correspondent=True)
        if errors:
            raise ValidationError(errors)

    @property
    def is_filled(self) -> bool:
        """Enough to act as the seller on a document: a name and an INN."""
        return bool(self.pk and self.name and self.inn)
