from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sdelka.catalog.models import Product, ProductGroup

admin.site.register(Product, SimpleHistoryAdmin)
admin.site.register(ProductGroup, SimpleHistoryAdmin)
