"""Checksum rules for Russian and Kazakh identifiers, and the demo-data generators.

Plain functions, no database. Hand calculations in the comments prove the expected values independently
of the code under test.
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sdelka.partners import taxids

seeds = st.integers(min_value=0, max_value=2**32 - 1).map(random.Random)


def error_code(validator, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        validator(*args, **kwargs)
    return info.value.code


def error_messages(validator, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as info, translation.override("en"):
        validator(*args, **kwargs)
    with translation.override("en"):
        return [str(message) for message in info.value.messages]


def change_digit(value: str, position: int, offset: int) -> str:
    """``value`` with the digit at ``position`` replaced by another digit (offset 1..9 mod 10)."""
    digit = (int(value[position]) + offset) % 10
    return value[:position] + str(digit) + value[position + 1 :]


def is_valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


# --- INN ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inn",
    [
        # Sberbank. 7,7,0,7,0,8,3,8,9 x 2,4,10,3,5,9,4,6,8 = 14+28+0+21+0+72+12+48+72 = 267;
        # 267 mod 11 = 3 (11*24 = 264); 3 mod 10 = 3 = the 10th digit.
        "7707083893",
        # Yandex. 7,7,3,6,2,0,7,5,4 x 2,4,10,3,5,9,4,6,8 = 14+28+30+18+10+0+28+30+32 = 190;
        # 190 mod 11 = 3 (11*17 = 187) = the 10th digit.
        "7736207543",
        # Control 0 through the "10 -> 0" fold: 3,4,4,9,7,8,6,9,0 x weights = 6+16+40+27+35+72+24+54+0 = 274;
        # 274 mod 11 = 10; 10 mod 10 = 0 = the 10th digit.
        "3449786900",
    ],
)
def test_organisation_inn_with_correct_control_digit_is_accepted(inn):
    # given a 10-digit INN whose control digit matches, when validated, then no error is raised
    taxids.validate_inn(inn)


def test_individual_inn_with_both_correct_control_digits_is_accepted():
    # given 500100732259:
    #   11th digit: 5,0,0,1,0,0,7,3,2,2 x 7,2,4,10,3,5,9,4,6,8 = 35+0+0+10+0+0+63+12+12+16 = 148;
    #               148 mod 11 = 5 (11*13 = 143) -> 5 = the 11th digit;
    #   12th digit: 5,0,0,1,0,0,7,3,2,2,5 x 3,7,2,4,10,3,5,9,4,6,8 = 15+0+0+4+0+0+35+27+8+12+40 = 141;
    #               141 mod 11 = 9 (11*12 = 132) -> 9 = the 12th digit.
    # when validated, then it is accepted
    taxids.validate_inn("500100732259")


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # Sberbank with the control digit changed
        "7707083793",  # Sberbank with a data digit changed: sum 267 - 6 = 261, 261 mod 11 = 8 != 3
        "500100732269",  # 11th digit changed: 148 mod 11 = 5, not 6
        "500100732258",  # 12th digit changed: 141 mod 11 = 9, not 8
        "500100733259",  # a data digit changed
    ],
)
def test_inn_with_one_digit_changed_is_rejected_as_checksum_error(inn):
    assert error_code(taxids.validate_inn, inn) == "inn_checksum"


@pytest.mark.parametrize("inn", ["770708389", "77070838931", "7707083893123", "1"])
def test_inn_of_wrong_length_is_rejected_as_length_error(inn):
    assert error_code(taxids.validate_inn, inn) == "inn_length"


def test_empty_inn_is_reported_as_length_zero():
    # given an empty string (no wrong characters, just nothing), then the length error says "got 0"
    assert error_code(taxids.validate_inn, "") == "inn_length"
    assert error_messages(taxids.validate_inn, "") == [
        "INN must have 10 digits (organisation) or 12 digits (individual); got 0."
    ]


@pytest.mark.parametrize(
    "inn",
    [
        "77070838A3",
        "7707 083893",
        " 7707083893",
        "7707083893\n",
        "-707083893",
        "\uff17\uff17\uff10\uff17\uff10\uff18\uff13\uff18\uff19\uff13",  # fullwidth digits
        "770708389\u00b2",  # superscript two: str.isdigit() would accept it
    ],
)
def test_inn_with_anything_but_ascii_digits_is_rejected_as_format_error(inn):
    assert error_code(taxids.validate_inn, inn) == "inn_format"


def test_inn_messages_tell_the_user_what_is_wrong():
    assert error_messages(taxids.validate_inn, "770708389") == [
        "INN must have 10 digits (organisation) or 12 digits (individual); got 9."
    ]
    assert error_messages(taxids.validate_inn, "7707083894") == ["INN checksum is wrong: check the digits."]
    assert error_messages(taxids.validate_inn, "77O7083893") == ["INN must contain only digits."]


def test_inn_error_keeps_a_static_msgid_with_params_for_translation():
    # given a wrong length, then the message is the untranslated template and the count is a param
    with pytest.raises(ValidationError) as info:
        taxids.validate_inn("123")
    assert "%(n)d" in str(info.value.message)
    assert info.value.params == {"n": 3}


def test_single_digit_change_of_inn10_can_go_unnoticed_only_through_the_zero_fold():
    # given 3449786900 (weighted sum 274, 274 mod 11 = 10 -> control 0) and the first digit 3 -> 9:
    # the sum grows by 6 * 2 = 12 to 286 = 11 * 26, 286 mod 11 = 0 -> control 0 again.
    # This is why the property test below exempts INN-10s whose control digit is 0.
    taxids.validate_inn("3449786900")
    taxids.validate_inn("9449786900")


# --- KPP ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kpp", ["773601001", "7736AB001", "77360A001", "7736Z9001", "000000000"])
def test_kpp_of_4_digits_2_digits_or_capital_letters_and_3_digits_is_accepted(kpp):
    taxids.validate_kpp(kpp)


@pytest.mark.parametrize(
    "kpp",
    [
        "77360100",  # 8 characters
        "7736010011",  # 10 characters
        "",
        "7736ab001",  # lowercase letters
        "7736\u0410\u0412001",  # Cyrillic A and B (U+0410, U+0412), which look like Latin ones
        "77A601001",  # a letter among the first 4 digits
        "7736010A1",  # a letter among the last 3 digits
        "7736 1001",
        "773601001 ",
    ],
)
def test_kpp_in_any_other_form_is_rejected(kpp):
    assert error_code(taxids.validate_kpp, kpp) == "kpp_format"


# --- BIN / IIN ------------------------------------------------------------------------------------------


def test_bin_whose_first_weighted_sum_gives_the_control_digit_is_accepted():
    # given BIN 120540012342 (registered 05/2012, type 4 = resident legal entity, attribute 0 = head office):
    # 1,2,0,5,4,0,0,1,2,3,4 x 1..11 = 1+4+0+20+20+0+0+8+18+30+44 = 145; 145 mod 11 = 2 (11*13 = 143)
    # = the 12th digit.
    taxids.validate_bin("120540012342")


def test_iin_is_checked_by_the_same_rule():
    # given IIN 850614300183 (born 14 June 1985, 3 = man born in the 1900s):
    # 8,5,0,6,1,4,3,0,0,1,8 x 1..11 = 8+10+0+24+5+24+21+0+0+10+88 = 190; 190 mod 11 = 3 = the 12th digit.
    taxids.validate_bin("850614300183")


def test_bin_whose_first_sum_gives_10_is_checked_with_the_second_weights():
    # given 120540000205:
    # first:  1,2,0,5,4,0,0,0,0,2,0 x 1..11            = 1+4+0+20+20+0+0+0+0+20+0 = 65; 65 mod 11 = 10
    # second: 1,2,0,5,4,0,0,0,0,2,0 x 3..11,1,2        = 3+8+0+30+28+0+0+0+0+2+0 = 71; 71 mod 11 = 5
    # 5 = the 12th digit, so it is valid; with the 12th digit 0 (what "10 mod 10" would give) it is not.
    taxids.validate_bin("120540000205")
    assert error_code(taxids.validate_bin, "120540000200") == "bin_checksum"


@pytest.mark.parametrize("last", "0123456789")
def test_bin_whose_both_sums_give_10_is_never_valid(last):
    # given the first 11 digits 12054000028:
    # first:  1+4+0+20+20+0+0+0+0+20+88 = 153; 153 mod 11 = 10
    # second: 3+8+0+30+28+0+0+0+0+2+16  = 87;  87 mod 11 = 10
    # then no 12th digit makes a valid number
    assert error_code(taxids.validate_bin, "12054000028" + last) == "bin_checksum"


@pytest.mark.parametrize("bin_", ["120540012343", "220540012342", "120540000204"])
def test_bin_with_a_digit_changed_is_rejected_as_checksum_error(bin_):
    assert error_code(taxids.validate_bin, bin_) == "bin_checksum"


def test_bin_first_weight_set_does_not_check_the_11th_digit():
    # the 11th weight is 11 = 0 (mod 11): changing the 11th digit of 120540012342 (4 -> 9) adds 55 = 11*5,
    # so the first sum still gives 2. This is a property of the official scheme, not a bug.
    taxids.validate_bin("120540012392")


@pytest.mark.parametrize(("bin_", "code"), [("12054001234", "bin_length"), ("1205400123421", "bin_length")])
def test_bin_of_wrong_length_is_rejected_as_length_error(bin_, code):
    assert error_code(taxids.validate_bin, bin_) == code


@pytest.mark.parametrize(
    "bin_", ["12054001234A", "1205 4001234", "١٢٠٥٤٠٠١٢٣٤٢"]
)  # the last: Arabic-Indic digits
def test_bin_with_anything_but_ascii_digits_is_rejected_as_format_error(bin_):
    assert error_code(taxids.validate_bin, bin_) == "bin_format"


def test_empty_bin_is_reported_as_length_zero():
    assert error_messages(taxids.validate_bin, "") == ["BIN/IIN must have 12 digits; got 0."]


# --- OGRN / OGRNIP --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ogrn",
    [
        "1027700132195",  # Sberbank: 102770013219 mod 11 = 5
        "1027700229193",  # Yandex: 102770022919 mod 11 = 3
        "304500116000157",  # OGRNIP: 30450011600015 mod 13 = 7
        "304463210700212",  # OGRNIP: 30446321070021 mod 13 = 12; 12 mod 10 = 2
    ],
)
def test_ogrn_and_ogrnip_with_correct_control_digit_are_accepted(ogrn):
    taxids.validate_ogrn(ogrn)


@pytest.mark.parametrize(
    ("ogrn", "code"),
    [
        ("1027700132196", "ogrn_checksum"),
        ("1027700132295", "ogrn_checksum"),
        ("304463210700213", "ogrn_checksum"),
        ("102770013219", "ogrn_length"),
        ("10277001321950", "ogrn_length"),
        ("", "ogrn_length"),
        ("10277001321B5", "ogrn_format"),
    ],
)
def test_ogrn_errors_are_told_apart(ogrn, code):
    assert error_code(taxids.validate_ogrn, ogrn) == code


# --- BIK and bank accounts ------------------------------------------------------------------------------


def test_bik_of_9_digits_is_accepted():
    taxids.validate_bik("044525225")


@pytest.mark.parametrize(
    ("bik", "code"), [("04452522", "bik_length"), ("04452522S", "bik_format"), ("", "bik_length")]
)
def test_bik_of_other_form_is_rejected(bik, code):
    assert error_code(taxids.validate_bik, bik) == code


SBERBANK_BIK = "044525225"
# Settlement account constructed by hand: 40702810?38000012345 with the key "?" at the 9th digit.
# With "?" = 0, "225" + the account x 7,1,3,...:
#   2*7+2*1+5*3 + 4*7+0*1+7*3 + 0*7+2*1+8*3 + 1*7+0*1+0*3 + 3*7+8*1+0*3 + 0*7+0*1+0*3 + 1*7+2*1+3*3 + 4*7+5*1
#   = 14+2+15 + 28+0+21 + 0+2+24 + 7+0+0 + 21+8+0 + 0+0+0 + 7+2+9 + 28+5 = 193;
# the key has weight 3, so it must add 7 (mod 10): 3*9 = 27 -> key 9, total 220.
SBERBANK_SETTLEMENT = "40702810938000012345"


def test_settlement_account_matching_the_bik_is_accepted():
    taxids.validate_bank_account(SBERBANK_SETTLEMENT, SBERBANK_BIK)


def test_correspondent_account_is_keyed_with_the_bank_of_russia_division():
    # given Sberbank's correspondent account 30101810400000000225 and prefix "0" + BIK digits 5-6 = "025":
    # digits   0 2  5  3 0 1 0 1  8 1 0  4 0 0 0 0 0 0 0 0 2  2 5
    # weights  7 1  3  7 1 3 7 1  3 7 1  3 7 1 3 7 1 3 7 1 3  7 1
    # products 0 2 15 21 0 3 0 1 24 7 0 12 0 0 0 0 0 0 0 0 6 14 5 -> sum 110, ends in 0.
    taxids.validate_bank_account("30101810400000000225", SBERBANK_BIK, correspondent=True)


def test_correspondent_account_is_not_valid_as_a_settlement_account_of_the_same_bank():
    # with the settlement prefix "225" the first three products are 14+2+15 = 31 instead of 0+2+15 = 17,
    # so the sum is 110 + 14 = 124, which does not end in 0
    assert (
        error_code(taxids.validate_bank_account, "30101810400000000225", SBERBANK_BIK) == "account_checksum"
    )


@pytest.mark.parametrize(
    "account",
    [
        "40702810838000012345",  # the key changed
        "40702810938000012346",  # the last digit changed
        "40702810938000021345",  # two digits swapped
    ],
)
def test_settlement_account_not_matching_the_bik_is_rejected(account):
    assert error_code(taxids.validate_bank_account, account, SBERBANK_BIK) == "account_checksum"


def test_settlement_account_of_another_bank_is_rejected():
    # the same account with a BIK whose last 3 digits differ (044525593, Alfa-Bank)
    assert error_code(taxids.validate_bank_account, SBERBANK_SETTLEMENT, "044525593") == "account_checksum"


@pytest.mark.parametrize(
    "account", ["4070281093800001234", "407028109380000123456", "", "4070281093800001234O"]
)
def test_bank_account_not_of_20_digits_is_rejected_as_format_error(account):
    assert error_code(taxids.validate_bank_account, account, SBERBANK_BIK) == "account_format"


def test_bank_account_with_malformed_bik_reports_the_bik():
    assert error_code(taxids.validate_bank_account, SBERBANK_SETTLEMENT, "04452522") == "bik_length"


def test_account_messages_tell_the_user_what_is_wrong():
    assert error_messages(taxids.validate_bank_account, "123", SBERBANK_BIK) == [
        "A bank account must have exactly 20 digits."
    ]
    assert error_messages(taxids.validate_bank_account, "40702810838000012345", SBERBANK_BIK) == [
        "The account number does not match the BIK: check the account and the BIK."
    ]


# --- generators: every generated id validates -----------------------------------------------------------


@given(seeds)
def test_generated_organisation_inn_is_valid(rng):
    inn = taxids.generate_inn_legal(rng)
    assert len(inn) == 10
    taxids.validate_inn(inn)


@given(seeds)
def test_generated_individual_inn_is_valid(rng):
    inn = taxids.generate_inn_individual(rng)
    assert len(inn) == 12
    taxids.validate_inn(inn)


@given(seeds)
def test_generated_kpp_is_valid_and_shares_the_tax_office_of_the_inn(rng):
    inn = taxids.generate_inn_legal(rng)
    kpp = taxids.generate_kpp(rng, inn)
    taxids.validate_kpp(kpp)
    assert kpp[:4] == inn[:4]
    assert kpp[4:6] == "01"


@given(seeds)
def test_generated_bin_is_valid_and_plausible(rng):
    bin_ = taxids.generate_bin(rng)
    taxids.validate_bin(bin_)
    assert 1 <= int(bin_[2:4]) <= 12
    assert bin_[4] in "456"


@given(seeds)
def test_generated_iin_is_valid_and_starts_with_a_birth_date(rng):
    iin = taxids.generate_iin(rng)
    taxids.validate_bin(iin)
    assert 1 <= int(iin[2:4]) <= 12
    assert 1 <= int(iin[4:6]) <= 31
    assert iin[6] in "3456"


@given(seeds)
def test_generated_ogrn_is_valid(rng):
    ogrn = taxids.generate_ogrn(rng)
    assert len(ogrn) == 13
    taxids.validate_ogrn(ogrn)


@given(seeds)
def test_generated_bik_and_account_are_valid_together(rng):
    bik = taxids.generate_bik(rng)
    taxids.validate_bik(bik)
    assert bik.startswith("04")
    account = taxids.generate_bank_account(rng, bik)
    assert account.startswith("40702810")
    taxids.validate_bank_account(account, bik)


@given(seeds)
def test_generators_are_deterministic_for_a_seed(rng):
    state = rng.getstate()
    first = [taxids.generate_inn_legal(rng), taxids.generate_bin(rng), taxids.generate_iin(rng)]
    rng.setstate(state)
    assert [taxids.generate_inn_legal(rng), taxids.generate_bin(rng), taxids.generate_iin(rng)] == first


# --- single-digit errors --------------------------------------------------------------------------------


@given(seeds, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_of_an_organisation_inn_is_caught_unless_control_is_zero(rng, position, offset):
    # The sum changes by weight * delta, never 0 mod 11 (weights 2..10 and |delta| <= 9 are prime to 11),
    # so the residue always changes; but residues 0 and 10 both give control 0. So a change is always
    # caught when the control digit is 1-9 or when the control digit itself changes; with control 0 a data
    # digit change can slip through (see test_single_digit_change_of_inn10_can_go_unnoticed_...).
    inn = taxids.generate_inn_legal(rng)
    changed = change_digit(inn, position, offset)
    if inn[9] != "0" or position == 9:
        assert error_code(taxids.validate_inn, changed) == "inn_checksum"


@given(seeds, st.integers(0, 11), st.integers(1, 9))
def test_changing_one_digit_of_an_individual_inn_is_always_caught(rng, position, offset):
    # Holds with no exception: a data digit change (positions 1-10) could only slip through if it moved
    # BOTH residues between 0 and 10, i.e. w1 * delta = +-1 and w2 * delta = +-1 (mod 11) for the same
    # position, which needs w1 = +-w2 (mod 11). No pair of weights at one position does:
    # (7,3) (2,7) (4,2) (10,4) (3,10) (5,3) (9,5) (4,9) (6,4) (8,6). Changing a control digit always
    # breaks its own check.
    inn = taxids.generate_inn_individual(rng)
    assert error_code(taxids.validate_inn, change_digit(inn, position, offset)) == "inn_checksum"


def _uses_second_weights(bin_: str) -> bool:
    return sum(int(d) * w for d, w in zip(bin_[:11], range(1, 12), strict=True)) % 11 == 10


@given(seeds, st.integers(0, 11), st.integers(1, 9))
def test_changing_one_digit_of_a_bin_is_caught_except_where_the_scheme_is_blind(rng, position, offset):
    # "Any single-digit change is caught" does NOT hold for BIN/IIN. What holds:
    # * the control (12th) digit: always caught, since it is a function of the first 11;
    # * the 11th digit: its first weight is 11 = 0 (mod 11), so the change is invisible when the number is
    #   checked with the first weights, and always caught when it is checked with the second (weight 2);
    # * digits 1-10 (first weights 1..10, nonzero mod 11): the first sum always changes, so two numbers both
    #   checked with the first weights differ in control; both using the second weights is impossible (the
    #   first sum cannot stay 10). A change slips through only when exactly one of the original and the
    #   changed number falls back to the second weights.
    bin_ = taxids.generate_bin(rng) if rng.random() < 0.5 else taxids.generate_iin(rng)
    changed = change_digit(bin_, position, offset)
    caught = not is_valid(taxids.validate_bin, changed)
    if position == 11:
        assert caught
    elif position == 10:
        assert caught == _uses_second_weights(bin_)
    elif not caught:
        assert _uses_second_weights(bin_) != _uses_second_weights(changed)
