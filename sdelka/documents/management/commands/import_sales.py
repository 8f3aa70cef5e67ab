"""``manage.py import_sales FILE``: import sales history (CSV or XLSX of sale lines) as posted sales."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sdelka.documents.models import ImportStatus
from sdelka.documents.sales_import import COLUMNS, sales_import_create, sales_import_run

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import sales history from a CSV (comma or semicolon, UTF-8 or Windows-1251) or XLSX file with the "
        f"columns {', '.join(COLUMNS)}: revenue net of VAT; client_inn, cost and manager may be empty; dates as "
        "YYYY-MM-DD; a decimal point or comma. Clients are found by client_id, then INN/BIN, then name, "
        "products by SKU; missing ones are created. The whole file is checked first: with a bad row nothing "
        "is imported unless --skip-bad. Documents imported before (same number and client) are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--skip-bad", action="store_true", help="import the good rows, skip the bad ones")

    def handle(self, *args, file: str, skip_bad: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        content = path.read_bytes()
        job = sales_import_create(
            actor=None, file_name=path.name, content=content, skip_bad=skip_bad, keep_content=False
        )
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def progress(stage: str, done: int, total: int) -> None:
            text = f"checked {done} rows" if stage == "check" else f"imported {done}/{total} rows"
            self.stdout.write(("\r" if interactive else "") + text, ending="" if interactive else "\n")
            self.stdout.flush()

        job = sales_import_run(job, progress=progress, content=content)
        if interactive:
            self.stdout.write("")
        for row, message in job.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"row {row}: {message}")
        if job.error_count > SHOWN_ERRORS:
            self.stderr.write(f"… and {job.error_count - SHOWN_ERRORS} more bad rows")
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(job.message))
