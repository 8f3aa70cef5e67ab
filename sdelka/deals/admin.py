from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sdelka.deals.models import Deal, DealEvent, DealKind, LostReason, Stage

admin.site.register(Deal, SimpleHistoryAdmin)
admin.site.register(DealKind, SimpleHistoryAdmin)
admin.site.register(Stage)
admin.site.register(LostReason)
admin.site.register(DealEvent)
