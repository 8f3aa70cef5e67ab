"""The printed commercial proposal: ``sdelka.documents.printing.quote_pdf`` in Russian and in English."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.core.company import company_update
from sdelka.core.demo.company import DEMO_COMPANY, create_demo_company
from sdelka.deals.tests.factories import DealFactory
from sdelka.documents import services
from sdelka.documents.models import Quote
from sdelka.documents.printing import format_quantity, quote_pdf
from sdelka.partners.tests.factories import ContactPersonFactory, CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PUMP = "Насос центробежный ЦНС 38-154"
VALVE = "Задвижка клиновая 30с41нж Ду100"


def pdf_text(pdf: bytes) -> str:
    """The text of every page with runs of whitespace (spaces, no-break spaces) as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def quote(manager):
    manager.first_name, manager.last_name, manager.phone = "Ivan", "Sokolov", "+7 495 111-22-33"
    manager.save()
    partner = PartnerFactory(name="Ромашка", manager=manager)
    counterparty = CounterpartyFactory(
        partner=partner,
        name="ООО «Ромашка»",
        inn="7707083893",
        kpp="773601001",
        legal_address="Москва, ул. Профсоюзная, д. 3",
    )
    deal = DealFactory(manager=manager, partner=partner, counterparty=counterparty)
    deal.contacts.add(
        ContactPersonFactory(
            partner=partner, name="Анна Смирнова", position="Закупки", phones=["+7 916 000-00-01"]
        )
    )
    pump = ProductFactory(name=PUMP, sku="CNS-38", price=Decimal("125000.00"), vat_rate="22")
    valve = ProductFactory(name=VALVE, sku="ZKL-100", price=Decimal("18450.50"), vat_rate="22")
    return services.document_create(
        Quote,
        actor=manager,
        data={
            "partner": partner,
            "counterparty": counterparty,
            "deal": deal,
            "date": datetime.date(2026, 1, 15),
            "valid_until": datetime.date(2026, 2, 14),
            "comment": "Доставка за счёт поставщика.",
        },
        lines=[
            {
                "product": pump,
                "quantity": Decimal("2"),
                "price": pump.price,
                "discount_percent": Decimal("5"),
            },
            {"product": valve, "quantity": Decimal("3"), "price": valve.price},
        ],
    )


def test_the_totals_of_the_example_are_what_the_test_expects(quote):
    # 125 000 × 2 − 5 % = 237 500.00; 18 450.50 × 3 = 55 351.50
    assert quote.amount_gross == Decimal("292851.50")


def test_the_russian_proposal_names_the_parties_the_goods_and_the_total(quote):
    create_demo_company()

    text = pdf_text(quote_pdf(quote, language="ru"))

    assert quote.number in text
    assert "Ромашка" in text and "ООО «Ромашка»" in text
    assert "7707083893" in text and "773601001" in text and "Профсоюзная" in text
    assert "Анна Смирнова" in text
    assert DEMO_COMPANY["full_name"] in text and DEMO_COMPANY["inn"] in text
    assert DEMO_COMPANY["bank_account"] in text
    assert PUMP in text and VALVE in text and "CNS-38" in text
    assert "292 851,50 RUB" in text
    assert "237 500,00" in text and "125 000,00" in text
    assert "15 января 2026" in text and "14 февраля 2026" in text
    assert "Ivan Sokolov" in text and "+7 495 111-22-33" in text
    assert "Доставка за счёт поставщика." in text
    assert DEMO_COMPANY["director"] in text


def test_the_english_proposal_formats_numbers_and_dates_in_english(quote):
    create_demo_company()

    text = pdf_text(quote_pdf(quote, language="en"))

    assert f"Commercial proposal No. {quote.number}" in text
    assert "Ромашка" in text and DEMO_COMPANY["name"] in text and PUMP in text
    assert "292,851.50 RUB" in text
    assert "Valid until" in text and "Feb. 14, 2026" in text
    assert "Total without VAT" in text


def test_the_language_is_only_switched_while_printing(quote):
    from django.utils import translation

    quote_pdf(quote, language="ru")

    assert translation.get_language() == "en"


def test_without_our_company_the_proposal_says_the_seller_is_not_filled_in(quote):
    text = pdf_text(quote_pdf(quote, language="en"))

    assert "requisites are not filled in" in text
    assert "Ромашка" in text and "292,851.50 RUB" in text


def test_a_company_with_only_a_name_counts_as_not_filled_in(quote, admin_user):
    company_update(actor=admin_user, data={"name": "Half-filled Ltd"})

    text = pdf_text(quote_pdf(quote, language="en"))

    assert "requisites are not filled in" in text


def test_a_seller_without_vat_prints_without_vat(manager, admin_user):
    company_update(actor=admin_user, data={**DEMO_COMPANY, "vat_payer": False})
    partner = PartnerFactory(name="Client", manager=manager)
    service = ProductFactory(name="Монтаж оборудования", vat_rate="without")
    document = services.document_create(
        Quote,
        actor=manager,
        data={"partner": partner},
        lines=[{"product": service, "quantity": Decimal("1"), "price": Decimal("1500")}],
    )

    text = pdf_text(quote_pdf(document, language="en"))

    assert "the seller is not a VAT payer" in text
    assert "1,500.00 RUB" in text


def test_markup_in_names_is_printed_as_text(manager):
    partner = PartnerFactory(name='<img src="http://example.invalid/x.png">Evil & Co', manager=manager)
    product = ProductFactory(name="<b>Bold</b> pump")
    document = services.document_create(
        Quote,
        actor=manager,
        data={"partner": partner},
        lines=[{"product": product, "quantity": Decimal("1"), "price": Decimal("10")}],
    )

    text = pdf_text(quote_pdf(document, language="en"))

    # The long address may wrap, so the words are compared without spaces.
    assert '<imgsrc="http://example.invalid/x.png">Evil&Co' in "".join(text.split())
    assert "<b>Bold</b> pump" in text


def test_printing_costs_the_same_queries_for_two_lines_and_for_twenty(quote, manager):
    create_demo_company()
    many = services.document_create(
        Quote,
        actor=manager,
        data={"partner": quote.partner, "counterparty": quote.counterparty, "deal": quote.deal},
        lines=[
            {"product": ProductFactory(), "quantity": Decimal("1"), "price": Decimal("10")} for _ in range(20)
        ],
    )

    counts = []
    for document in (quote, many):
        fresh = Quote.objects.get(pk=document.pk)
        with CaptureQueriesContext(connection) as captured:
            quote_pdf(fresh, language="en")
        counts.append(len(captured))

    assert counts[0] == counts[1] <= 8


@pytest.mark.parametrize(
    ("quantity", "language", "shown"),
    [("2.000", "en", "2"), ("1.500", "ru", "1,5"), ("0.125", "en", "0.125"), ("1500", "ru", "1\u00a0500")],
)
def test_quantities_show_only_the_decimals_they_have(quantity, language, shown):
    from django.utils import translation

    with translation.override(language):
        assert format_quantity(Decimal(quantity)) == shown


def _one_line_quote(manager, **data):
    product = ProductFactory(name="Клапан")
    return services.document_create(
        Quote,
        actor=manager,
        data=data,
        lines=[{"product": product, "quantity": Decimal("1"), "price": Decimal("100")}],
    )


def test_a_client_without_a_counterparty_is_shown_with_the_partners_address(manager):
    partner = PartnerFactory(name="Частный клиент", manager=manager, address="Тверь, ул. Советская, 5")

    text = pdf_text(quote_pdf(_one_line_quote(manager, partner=partner), language="en"))

    assert "Частный клиент" in text and "Тверь, ул. Советская, 5" in text
    assert "INN" not in text.split("CLIENT", 1)[1].split("Product", 1)[0]


def test_a_kazakh_counterparty_is_shown_with_its_bin(manager):
    partner = PartnerFactory(name="Алматы Трейд", manager=manager)
    counterparty = CounterpartyFactory(partner=partner, country="KZ", bin="180340021791", name="ТОО «Алматы»")

    text = pdf_text(
        quote_pdf(_one_line_quote(manager, partner=partner, counterparty=counterparty), language="en")
    )

    assert "BIN/IIN: 180340021791" in text and "ТОО «Алматы»" in text
