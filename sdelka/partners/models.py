"""Partners (clients, suppliers…), their legal entities, contact persons, private individuals, groups and tags."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sdelka.core.models import CatalogGroup, TimeStampedModel
from sdelka.core.validators import validate_email_list, validate_phone_list
from sdelka.marketing.interest import PrimaryInterest, at_most_one_source
from sdelka.partners import taxids
from sdelka.partners.choices import PERSONAL_LEGAL_FORMS, Country, Gender, LegalForm, PartnerKind


class PartnerGroup(CatalogGroup):
    """A folder of the partners catalog (e.g. "Wholesale / Moscow"); any depth."""

    history = HistoricalRecords()

    class Meta(CatalogGroup.Meta):
        verbose_name = _("partner group")
        verbose_name_plural = _("partner groups")


class Tag(models.Model):
    """A free label on partners ("VIP", "tender"), shared by everyone."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Partner(PrimaryInterest, TimeStampedModel):
    """A business relation ("партнер"): a client, supplier, competitor or other, a company or a person.

    ``manager`` is the responsible sales manager; it decides who sees and edits the partner.
    The primary interest (channel and source) is where their first interest came from.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PartnerKind.choices, default=PartnerKind.COMPANY
    )
    is_client = models.BooleanField(_("client"), default=True)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_competitor = models.BooleanField(_("competitor"), default=False)
    is_other = models.BooleanField(_("other relation"), default=False)
    group = models.ForeignKey(
        PartnerGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_partners",
    )
    phones = models.JSONField(_("phones"), default=list, blank=True, validators=[validate_phone_list])
    emails = models.JSONField(_("e-mails"), default=list, blank=True, validators=[validate_email_list])
    address = models.CharField(_("address"), max_length=500, blank=True)
    region = models.CharField(_("region"), max_length=150, blank=True, db_index=True)
    website = models.URLField(_("website"), max_length=255, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="partners")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            # The list's default order; lets the first page of 100k partners come from the index.
            models.Index(fields=["name", "id"], name="partner_name_id_idx"),
            models.Index(fields=["manager", "name"]),
            models.Index(fields=["group", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_client=True)
                | models.Q(is_supplier=True)
                | models.Q(is_competitor=True)
                | models.Q(is_other=True),
                name="partner_has_a_relation",
            ),
            at_most_one_source("partner_primary_interest_one_source"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.is_client or self.is_supplier or self.is_competitor or self.is_other):
            raise ValidationError(
                {"is_client": _("Tick at least one relation: client, supplier, competitor or other.")}
            )


class Counterparty(TimeStampedModel):
    """A legal entity or sole trader of a partner ("контрагент"), with tax ids checked by their official rules."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="counterparties"
    )
    name = models.CharField(_("name"), max_length=255)
    full_name = models.CharField(_("full legal name"), max_length=500, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.LLC
    )
    country = models.CharField(_("country"), max_length=5, choices=Country.choices, default=Country.RUSSIA)
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    bin = models.CharField(_("BIN/IIN"), max_length=12, blank=True, db_index=True)
    tax_number = models.CharField(_("tax number"), max_length=50, blank=True)
    legal_address = models.CharField(_("legal address"), max_length=500, blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    bik = models.CharField(_("BIK"), max_length=11, blank=True)
    bank_account = models.CharField(_("settlement account"), max_length=34, blank=True)
    correspondent_account = models.CharField(_("correspondent account"), max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("counterparty")
        verbose_name_plural = _("counterparties")

    def __str__(self) -> str:
        return self.name

    @property
    def tax_id(self) -> str:
        """The id that identifies the entity in its country: INN, BIN/IIN or a foreign tax number."""
        return {Country.RUSSIA: self.inn, Country.KAZAKHSTAN: self.bin}.get(self.country, self.tax_number)

    ID_FIELDS = ("inn", "kpp", "bin", "ogrn", "bik", "bank_account", "correspondent_account")

    def normalize_ids(self) -> None:
        """People type tax ids and accounts with spaces ("7707 083893"); store digits as one word."""
        for field in self.ID_FIELDS:
            setattr(self, field, "".join((getattr(self, field) or "").split()).upper())

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def check(field: str, validator, *args) -> None:
            value = getattr(self, field)
            if value:
                try:
                    validator(value, *args)
                except ValidationError as error:
                    errors.setdefault(field, []).extend(error.messages)

        self.normalize_ids()
        if self.country == Country.RUSSIA:
            for field in ("bin",):
                if getattr(self, field):
                    errors[field] = [_("BIN/IIN is for Kazakhstan; a Russian counterparty has an INN.")]
            check("inn", taxids.validate_inn)
            if self.inn and "inn" not in errors:
                personal = self.legal_form in PERSONAL_LEGAL_FORMS
                if personal and len(self.inn) != 12:
                    errors["inn"] = [_("A sole trader's INN has 12 digits.")]
                elif not personal and self.legal_form != LegalForm.OTHER and len(self.inn) != 10:
                    errors["inn"] = [_("An organisation's INN has 10 digits.")]
            if self.kpp and self.legal_form in PERSONAL_LEGAL_FORMS:
                errors["kpp"] = [_("A sole trader has no KPP.")]
            check("kpp", taxids.validate_kpp)
            check("ogrn", taxids.validate_ogrn)
            check("bik", taxids.validate_bik)
            if self.bank_account or self.correspondent_account:
                if not self.bik:
                    errors.setdefault("bik", []).append(_("Enter the bank's BIK to check the accounts."))
                elif "bik" not in errors:
                    check("bank_account", taxids.validate_bank_account, self.bik)
                    if self.correspondent_account:
                        try:
                            taxids.validate_bank_account(
                                self.correspondent_account, self.bik, correspondent=True
                            )
                        except ValidationError as error:
                            errors.setdefault("correspondent_account", []).extend(error.messages)
        elif self.country == Country.KAZAKHSTAN:
            for field in ("inn", "kpp", "ogrn", "correspondent_account"):
                if getattr(self, field):
                    errors[field] = [
                        _("This field is for Russian counterparties; leave it empty for Kazakhstan.")
                    ]
            check("bin", taxids.validate_bin)
        else:
            for field in ("inn", "kpp", "ogrn", "bin", "correspondent_account"):
                if getattr(self, field):
                    errors[field] = [
                        _("This field is for Russia or Kazakhstan; use “tax number” for other countries.")
                    ]
        if errors:
            raise ValidationError(errors)


class ContactPerson(TimeStampedModel):
    """A person at a partner ("контактное лицо партнера") whom managers talk to."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phones = models.JSONField(_("phones"), default=list, blank=True, validators=[validate_phone_list])
    emails = models.JSONField(_("e-mails"), default=list, blank=True, validators=[validate_email_list])
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Individual(TimeStampedModel):
    """A private person known to the company ("физическое лицо"), e.g. the source of a referral."""

    name = models.CharField(_("full name"), max_length=255)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    phones = models.JSONField(_("phones"), default=list, blank=True, validators=[validate_phone_list])
    emails = models.JSONField(_("e-mails"), default=list, blank=True, validators=[validate_email_list])
    address = models.CharField(_("address"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("individual")
        verbose_name_plural = _("individuals")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.inn = (self.inn or "").strip()
        if self.inn:
            if len(self.inn) != 12:
                raise ValidationError({"inn": _("A person's INN has 12 digits.")})
            try:
                taxids.validate_inn(self.inn)
            except ValidationError as error:
                raise ValidationError({"inn": error.messages}) from error


class SegmentKind(models.TextChoices):
    MANUAL = "manual", _("By hand (a list)")
    RULES = "rules", _("By rules")


class SegmentMatch(models.TextChoices):
    ALL = "all", _("All conditions (AND)")
    ANY = "any", _("Any condition (OR)")


class Segment(TimeStampedModel):
    """A named set of partners ("сегмент партнеров"): a hand-kept list, or the partners meeting rules.

    ``rules`` is a list of conditions stored as data (``{"field": …, "operator": …, "value": …}``), checked
    when saved and evaluated in the database; the members of a rule segment are stored in
    ``SegmentMember`` by each evaluation (the worker's schedule, or on demand), so lists, counts and
    mailings read a plain table.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SegmentKind.choices, default=SegmentKind.RULES)
    match = models.CharField(
        _("conditions"), max_length=5, choices=SegmentMatch.choices, default=SegmentMatch.ALL
    )
    rules = models.JSONField(_("rules"), default=list, blank=True)
    members = models.ManyToManyField(
        Partner, through="SegmentMember", verbose_name=_("members"), related_name="segments", blank=True
    )
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "member_count", "evaluated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return self.name


class SegmentMember(models.Model):
    """A partner in a segment: added by hand, or found by the segment's rules at its last evaluation."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="segment_memberships")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("segment member")
        verbose_name_plural = _("segment members")
        constraints = [models.UniqueConstraint(fields=["segment", "partner"], name="segment_member_unique")]
        indexes = [models.Index(fields=["partner", "segment"], name="segment_member_by_partner")]

    def __str__(self) -> str:
        return f"{self.segment_id}:{self.partner_id}"
