from django.urls import path

from rits.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("<str:area_code>/", views.area_page, name="area"),
    path("<str:area_code>/export.<str:fmt>", views.export, name="export"),
]
