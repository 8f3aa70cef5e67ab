from decimal import Decimal

import factory

from sdelka.catalog.models import Product, ProductGroup


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup

    name = factory.Sequence(lambda n: f"Product group {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sdelka.core.tree import group_create

        return group_create(model_class, actor=None, name=kwargs["name"], parent=kwargs.get("parent"))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n:04d}")
    price = Decimal("1200.00")
    cost_price = Decimal("800.00")
