from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from rits.api import api
from rits.lib.ids import IdConverter

# Before the apps' routes are read: they use <id:...> for database ids.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("rits.accounts.urls")),
    path("audit/", include("rits.audit.urls")),
    path("betrokkenheid/", include("rits.involvement.urls")),
    path("gezin/", include("rits.family_plans.urls")),
    path("dialoogtafels/", include("rits.dialogues.urls")),
    path("kennis/", include("rits.knowledge.urls")),
    path("monitor/", include("rits.outcomes.urls")),
    path("wat-levert-het-op/", include("rits.outcomes.public_urls")),
    path("", include("rits.directory.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg")),
    path("beheer/", admin.site.urls),
]
