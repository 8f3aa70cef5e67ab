from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)

admin.site.register(AdChannel, SimpleHistoryAdmin)
admin.site.register(MarketingEvent, SimpleHistoryAdmin)
admin.site.register(MarketingEventExpense, SimpleHistoryAdmin)
admin.site.register(MarketingEventParticipant, SimpleHistoryAdmin)
