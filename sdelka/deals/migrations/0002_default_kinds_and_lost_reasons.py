"""The deal kinds and lost reasons a new installation starts with.

Names are data users see and edit, so they are stored in Russian, the product's default language.
"""

from django.db import migrations

STAGES = [
    ("Первичный контакт", 10),
    ("Коммерческое предложение", 30),
    ("Согласование условий", 60),
    ("Исполнение обязательств", 90),
]
KINDS = [
    ("Типовая продажа", "typical", True),
    ("Сделка с ручным переходом по этапам", "manual", True),
    ("Прочие сделки", "non_process", False),
]
LOST_REASONS = [
    "Высокая цена",
    "Выбран конкурент",
    "Нет бюджета",
    "Сроки не устраивают",
    "Клиент не отвечает",
    "Потребность отпала",
]


def create_defaults(apps, schema_editor):
    DealKind = apps.get_model("deals", "DealKind")
    Stage = apps.get_model("deals", "Stage")
    LostReason = apps.get_model("deals", "LostReason")
    for name, process_type, with_stages in KINDS:
        kind, created = DealKind.objects.get_or_create(name=name, defaults={"process_type": process_type})
        if created and with_stages:
            Stage.objects.bulk_create(
                Stage(kind=kind, name=stage, order=index, probability=probability)
                for index, (stage, probability) in enumerate(STAGES, start=1)
            )
    for name in LOST_REASONS:
        LostReason.objects.get_or_create(name=name)


def remove_defaults(apps, schema_editor):
    """Removes only what is unused: a kind or reason some deal refers to stays."""
    DealKind = apps.get_model("deals", "DealKind")
    LostReason = apps.get_model("deals", "LostReason")
    DealKind.objects.filter(name__in=[k[0] for k in KINDS], deals__isnull=True).delete()
    LostReason.objects.filter(name__in=LOST_REASONS, deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
