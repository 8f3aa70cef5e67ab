from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from sdelka.interactions.public_views import unsubscribe

api_v1 = [
    path("", include("sdelka.accounts.api.urls")),
    path("", include("sdelka.partners.api.urls")),
    path("", include("sdelka.catalog.api.urls")),
    path("", include("sdelka.deals.api.urls")),
    path("", include("sdelka.documents.api.urls")),
    path("", include("sdelka.documents.api.report_urls")),
    path("", include("sdelka.core.api.urls")),
    path("", include("sdelka.interactions.api.urls")),
    path("", include("sdelka.activities.api.urls")),
    path("", include("sdelka.claims.api.urls")),
    path("", include("sdelka.marketing.api.urls")),
    path("", include("sdelka.analytics.api.urls")),
]

urlpatterns = [
    path("", include("sdelka.core.urls")),
    path("accounts/", include("sdelka.accounts.urls")),
    path("partners/segments/", include("sdelka.partners.segment_urls")),
    path("partners/", include("sdelka.partners.urls")),
    path("products/", include("sdelka.catalog.urls")),
    path("deals/board/", include("sdelka.deals.board")),
    path("deals/kinds/", include("sdelka.deals.kinds_urls")),
    path("deals/", include("sdelka.deals.urls")),
    path("documents/", include("sdelka.documents.urls")),
    path("reports/", include("sdelka.documents.report_urls")),
    path("interactions/", include("sdelka.interactions.urls")),
    path("activities/", include("sdelka.activities.urls")),
    path("claims/", include("sdelka.claims.urls")),
    path("marketing/", include("sdelka.marketing.urls")),
    path("analytics/", include("sdelka.analytics.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("lead/", include("sdelka.marketing.weblead_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
