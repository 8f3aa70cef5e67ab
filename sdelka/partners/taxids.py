"""Russian and Kazakh tax and bank identifiers: validation by the official checksum rules, and generators.

Pure Python: no models, no database. Validators raise :class:`~django.core.exceptions.ValidationError`
with a stable ``code`` and a translatable message whose variable parts are passed as ``params``, so the
msgid stays static (``"... got %(n)d."``) and Django interpolates it when the message is shown.

Validators check the value exactly as given: they do not strip spaces (the caller normalises input).

Identifiers and their rules
---------------------------
* ИНН (Russian taxpayer number): 10 digits for an organisation, one control digit; 12 digits for an
  individual or sole trader, two control digits. Control = (weighted sum mod 11) mod 10.
* КПП (tax registration reason code): ``NNNNPPNNN``, ``P`` a digit or an uppercase Latin letter.
* БИН/ИИН (Kazakh business/individual identification number): 12 digits, control by weights 1..11,
  falling back to weights 3..11,1,2 when the first sum gives 10; a number whose second sum also gives
  10 is never issued.
* ОГРН (13 digits, control = (first 12 mod 11) mod 10) and ОГРНИП (15 digits, control =
  (first 14 mod 13) mod 10).
* БИК (Russian bank identification code): 9 digits, no checksum.
* Bank account (20 digits): the Bank of Russia key (weights 7,1,3 over 3 BIK-derived digits + the
  account; the sum must end in 0). The key is the account's 9th digit.

Generators take a :class:`random.Random` and use nothing else, so demo data is reproducible from a seed.
"""

from __future__ import annotations

import datetime
import random
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "generate_bank_account",
    "generate_bik",
    "generate_bin",
    "generate_iin",
    "generate_inn_individual",
    "generate_inn_legal",
    "generate_kpp",
    "generate_ogrn",
    "validate_bank_account",
    "validate_bik",
    "validate_bin",
    "validate_inn",
    "validate_kpp",
    "validate_ogrn",
]

# ASCII digits only: str.isdigit() would also accept "²" or Arabic-Indic digits.
_DIGITS = re.compile(r"[0-9]*")
_KPP = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)

_BIN_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_BIN_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

_ACCOUNT_WEIGHTS = (7, 1, 3) * 8  # 24 >= 23 digits: 3 from the BIK + 20 of the account
_ACCOUNT_KEY_INDEX = 8  # the key is the 9th digit of the account


def _is_digits(value: object) -> bool:
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None


def _weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False))


def _inn_control(digits: str, weights: tuple[int, ...]) -> int:
    return _weighted_sum(digits, weights) % 11 % 10


def _bin_control(first11: str) -> int:
    """Control digit for the first 11 digits of a BIN/IIN; 10 means no valid number has this prefix."""
    control = _weighted_sum(first11, _BIN_WEIGHTS_1) % 11
    if control == 10:
        control = _weighted_sum(first11, _BIN_WEIGHTS_2) % 11
    return control


def _account_prefix(bik: str, correspondent: bool) -> str:
    # A settlement account is keyed with the bank's number (last 3 digits of the BIK); a correspondent
    # account with its Bank of Russia division: "0" + the 5th and 6th digits of the BIK.
    return "0" + bik[4:6] if correspondent else bik[-3:]


def _account_key(account: str, bik: str, correspondent: bool = False) -> int:
    """The key digit that makes ``account`` valid for ``bik`` (whatever its current 9th digit)."""
    zeroed = account[:_ACCOUNT_KEY_INDEX] + "0" + account[_ACCOUNT_KEY_INDEX + 1 :]
    total = _weighted_sum(_account_prefix(bik, correspondent) + zeroed, _ACCOUNT_WEIGHTS)
    # The key's weight is 3 (position 12 of 23); 3 * 3 = 9 = -1 (mod 10), so key = 3 * total (mod 10).
    return total % 10 * 3 % 10


# --- validators -----------------------------------------------------------------------------------------


def validate_inn(value: str) -> None:
    """Check a Russian INN: 10 digits (organisation) or 12 digits (individual), with its control digits."""
    if not _is_digits(value):
        raise ValidationError(_("INN must contain only digits."), code="inn_format")
    if len(value) == 10:
        valid = _inn_control(value, _INN10_WEIGHTS) == int(value[9])
    elif len(value) == 12:
        first = _inn_control(value, _INN12_WEIGHTS_11)
        second = _inn_control(value, _INN12_WEIGHTS_12)
        valid = (first, second) == (int(value[10]), int(value[11]))
    else:
        raise ValidationError(
            _("INN must have 10 digits (organisation) or 12 digits (individual); got %(n)d."),
            code="inn_length",
            params={"n": len(value)},
        )
    if not valid:
        raise ValidationError(_("INN checksum is wrong: check the digits."), code="inn_checksum")


def validate_kpp(value: str) -> None:
    """Check a Russian KPP: 4 digits, 2 digits or uppercase Latin letters, 3 digits."""
    if not isinstance(value, str) or _KPP.fullmatch(value) is None:
        raise ValidationError(
            _(
                "KPP must have 9 characters: 4 digits, then 2 digits or capital Latin letters, "
                "then 3 digits (for example 773601001)."
            ),
            code="kpp_format",
        )


def validate_bin(value: str) -> None:
    """Check a Kazakh BIN (organisation) or IIN (individual): 12 digits with a control digit."""
    if not _is_digits(value):
        raise ValidationError(_("BIN/IIN must contain only digits."), code="bin_format")
    if len(value) != 12:
        raise ValidationError(
            _("BIN/IIN must have 12 digits; got %(n)d."), code="bin_length", params={"n": len(value)}
        )
    if _bin_control(value[:11]) != int(value[11]):  # a control of 10 never equals a digit
        raise ValidationError(_("BIN/IIN checksum is wrong: check the digits."), code="bin_checksum")


def validate_ogrn(value: str) -> None:
    """Check a Russian OGRN (13 digits, organisation) or OGRNIP (15 digits, sole trader)."""
    if not _is_digits(value):
        raise ValidationError(_("OGRN must contain only digits."), code="ogrn_format")
    if len(value) == 13:
        control = int(value[:12]) % 11 % 10
    elif len(value) == 15:
        control = int(value[:14]) % 13 % 10
    else:
        raise ValidationError(
            _("OGRN must have 13 digits (organisation) or 15 digits (sole trader); got %(n)d."),
            code="ogrn_length",
            params={"n": len(value)},
        )
    if control != int(value[-1]):
        raise ValidationError(_("OGRN checksum is wrong: check the digits."), code="ogrn_checksum")


def validate_bik(value: str) -> None:
    """Check the format of a Russian bank BIK: 9 digits (the BIK has no checksum)."""
    if not _is_digits(value):
        raise ValidationError(_("BIK must contain only digits."), code="bik_format")
    if len(value) != 9:
        raise ValidationError(
            _("BIK must have 9 digits; got %(n)d."), code="bik_length", params={"n": len(value)}
        )


def validate_bank_account(account: str, bik: str, *, correspondent: bool = False) -> None:
    """Check a 20-digit Russian bank account against the bank's BIK with the Bank of Russia key.

    ``correspondent=True`` checks the bank's correspondent account instead of a settlement
    account. The BIK is validated first and its own error (``bik_*``) is raised if it is malformed.
    """
    if not _is_digits(account) or len(account) != 20:
        raise ValidationError(_("A bank account must have exactly 20 digits."), code="account_format")
    validate_bik(bik)
    total = _weighted_sum(_account_prefix(bik, correspondent) + account, _ACCOUNT_WEIGHTS)
    if total % 10 != 0:
        if correspondent:
            message = _("The correspondent account does not match the BIK: check the account and the BIK.")
        else:
            message = _("The account number does not match the BIK: check the account and the BIK.")
        raise ValidationError(message, code="account_checksum")


# --- generators for demo data ---------------------------------------------------------------------------


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _tax_office(rng: random.Random) -> str:
    """4 digits: a region code (01-99) and a tax office number in it (01-99)."""
    return f"{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"


def generate_inn_legal(rng: random.Random) -> str:
    """A valid 10-digit INN of an organisation: tax office (4) + serial (5) + control."""
    body = _tax_office(rng) + _digits(rng, 5)
    return body + str(_inn_control(body, _INN10_WEIGHTS))


def generate_inn_individual(rng: random.Random) -> str:
    """A valid 12-digit INN of an individual or sole trader: tax office (4) + serial (6) + 2 controls."""
    body = _tax_office(rng) + _digits(rng, 6)
    body += str(_inn_control(body, _INN12_WEIGHTS_11))
    return body + str(_inn_control(body, _INN12_WEIGHTS_12))


def generate_kpp(rng: random.Random, inn: str) -> str:
    """A KPP for an organisation with this INN: its tax office (first 4 digits), reason '01', 3 digits."""
    if not _is_digits(inn) or len(inn) < 4:
        raise ValueError(f"an INN is needed to derive the tax office, got {inn!r}")
    return f"{inn[:4]}01{rng.randint(1, 999):03d}"


def generate_bin(rng: random.Random) -> str:
    """A valid BIN: registration YYMM + entity type (4-6) + attribute (0-4) + serial (5) + control."""
    while True:
        year = rng.randint(1995, 2024) % 100
        body = f"{year:02d}{rng.randint(1, 12):02d}{rng.randint(4, 6)}{rng.randint(0, 4)}{_digits(rng, 5)}"
        control = _bin_control(body)
        if control != 10:  # such numbers are never issued
            return body + str(control)


def generate_iin(rng: random.Random) -> str:
    """A valid IIN: birth date YYMMDD + century/sex digit + serial (4) + control."""
    while True:
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(65 * 365))
        # 1-2: born in the 1800s, 3-4: 1900s, 5-6: 2000s; odd for men, even for women.
        century_sex = (birth.year // 100 - 18) * 2 + 1 + rng.randrange(2)
        body = f"{birth:%y%m%d}{century_sex}{_digits(rng, 4)}"
        control = _bin_control(body)
        if control != 10:
            return body + str(control)


def generate_ogrn(rng: random.Random) -> str:
    """A valid 13-digit OGRN: sign (1 or 5) + year (2) + region and tax office (4) + record (5) + control."""
    year = rng.randint(2002, 2024) % 100
    body = f"{rng.choice('15')}{year:02d}{_tax_office(rng)}{_digits(rng, 5)}"
    return body + str(int(body) % 11 % 10)


def generate_bik(rng: random.Random) -> str:
    """A Russian BIK: '04' + region (2) + division (2) + bank number (3; 050-999, as credit institutions)."""
    return f"04{_digits(rng, 4)}{rng.randint(50, 999):03d}"


def generate_bank_account(rng: random.Random, bik: str) -> str:
    """A valid settlement account for ``bik``.

    40702 (commercial company) + 810 (roubles) + key + branch (4) + serial (7).
    """
    validate_bik(bik)
    account = "40702810" + "0" + _digits(rng, 11)
    key = _account_key(account, bik)
    return account[:_ACCOUNT_KEY_INDEX] + str(key) + account[_ACCOUNT_KEY_INDEX + 1 :]
