from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from rits.api import api

urlpatterns = [
    path("", include("rits.accounts.urls")),
    path("audit/", include("rits.audit.urls")),
    path("betrokkenheid/", include("rits.involvement.urls")),
    path("gezin/", include("rits.family_plans.urls")),
    path("", include("rits.directory.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg")),
    path("beheer/", admin.site.urls),
]
