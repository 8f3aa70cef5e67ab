"""The demo seller: ООО «ТехноСнаб», a Moscow supplier of industrial equipment, with consistent requisites.

The numbers are made up but pass the official checks: the INN's tax office (7714) is the one in the KPP and
the OGRN, and the settlement account is keyed to the bank's BIK (the bank and its correspondent account are
Sberbank's published ones, so a printed proposal looks like a real one).
"""

from __future__ import annotations

from sdelka.core.company import company_update
from sdelka.core.models import Company

DEMO_COMPANY = {
    "name": "ООО «ТехноСнаб»",
    "full_name": "Общество с ограниченной ответственностью «ТехноСнаб»",
    "inn": "7714538206",
    "kpp": "771401001",
    "ogrn": "1157746582135",
    "legal_address": "125167, г. Москва, Ленинградский пр-т, д. 39, стр. 14, офис 412",
    "phone": "+7 495 640-18-27",
    "email": "sales@technosnab.ru",
    "bank_name": "ПАО Сбербанк, г. Москва",
    "bik": "044525225",
    "bank_account": "40702810538000123456",
    "correspondent_account": "30101810400000000225",
    "director": "Воронцов Андрей Сергеевич",
    "chief_accountant": "Белова Ирина Николаевна",
    "vat_payer": True,
}


def create_demo_company() -> Company:
    """Fill in our company's requisites with the demo seller (through the service, so they are validated).

    Written by the system (no actor), so no role check applies and the history shows "system".
    """
    return company_update(actor=None, data=dict(DEMO_COMPANY))
