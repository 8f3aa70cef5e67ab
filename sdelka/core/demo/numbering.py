"""Numbers of the demo's documents in date order, as they would have been had they been entered day by day.

The demo makes a deal's documents together and the repeat sales after all the deals, so the services'
numbers (unique per type and year, in order of creation) do not follow the dates. Once everything exists,
each type's documents of a year are numbered again by (date, id) and the year's counter set to the last
number, so the next document a user makes continues the sequence. Only for a database the demo just
filled: it renumbers every document of the type.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import OuterRef, Subquery

from sdelka.documents.models import Document, DocumentNumberCounter


def renumber_by_date(model: type[Document]) -> None:
    rows = list(model.objects.order_by("year", "date", "pk").values_list("pk", "year"))
    sequence: dict[int, int] = defaultdict(int)
    documents = []
    for pk, year in rows:
        sequence[year] += 1
        documents.append(model(pk=pk, number=f"{year}-{sequence[year]:06d}"))
    # Two passes, so no number is ever held by two documents in the middle of the update.
    model.objects.bulk_update([model(pk=pk, number=f"demo-{pk}") for pk, _year in rows], ["number"], 500)
    model.objects.bulk_update(documents, ["number"], batch_size=500)
    history = model.history.model
    history.objects.filter(id__in=model.objects.values("pk")).update(
        number=Subquery(model.objects.filter(pk=OuterRef("id")).values("number")[:1])
    )
    for year, last in sequence.items():
        DocumentNumberCounter.objects.update_or_create(
            document_type=model.document_type, year=year, defaults={"last": last}
        )
