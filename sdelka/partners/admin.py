from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Tag

admin.site.register(Partner, SimpleHistoryAdmin)
admin.site.register(Counterparty, SimpleHistoryAdmin)
admin.site.register(ContactPerson, SimpleHistoryAdmin)
admin.site.register(Individual, SimpleHistoryAdmin)
admin.site.register(PartnerGroup, SimpleHistoryAdmin)
admin.site.register(Tag)
