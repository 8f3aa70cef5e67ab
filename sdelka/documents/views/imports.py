"""Pages of the sales-history import: upload a file, watch its progress, read its bad rows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.choices import Role
from sdelka.core.forms import add_service_errors
from sdelka.core.views import ensure_role
from sdelka.documents.models import SalesImport
from sdelka.documents.sales_import import COLUMNS, sales_import_create

# Bigger files go through ``manage.py import_sales`` on the server.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class SalesImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    skip_bad = forms.BooleanField(
        label=_("Skip bad rows"),
        required=False,
        help_text=_("Without it, one bad row stops the whole import and nothing is imported."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than 200 MB; import it with manage.py import_sales on the server.")
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def imports_of(user):
    """Imports the user sees: their own; an administrator everyone's."""
    imports = SalesImport.objects.select_related("created_by").defer("content")
    return imports if user.effective_role == Role.ADMIN else imports.filter(created_by=user)


def _enqueue(import_id: int) -> None:
    from sdelka.documents.tasks import run_sales_import

    run_sales_import.enqueue(import_id)


@login_required
def sales_import_upload(request):
    ensure_role(request.user, "add", "sale")
    form = SalesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                job = sales_import_create(
                    actor=request.user,
                    file_name=upload.name,
                    content=upload.read(),
                    skip_bad=form.cleaned_data["skip_bad"],
                )
                transaction.on_commit(lambda: _enqueue(job.pk))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("documents:sales_import_detail", pk=job.pk)
    recent = imports_of(request.user)[:20]
    context = {"form": form, "columns": COLUMNS, "recent": recent}
    return render(request, "documents/sales_import_upload.html", context, status=400 if form.errors else 200)


@login_required
def sales_import_detail(request, pk: int):
    """The job's page; htmx asks for the progress part every second until the import ends."""
    ensure_role(request.user, "view", "sale")
    job = imports_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    template = (
        "documents/partials/_sales_import_progress.html"
        if request.htmx
        else "documents/sales_import_detail.html"
    )
    return render(request, template, {"job": job})
