from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sdelka.documents.models import Contract

admin.site.register(Contract, SimpleHistoryAdmin)
