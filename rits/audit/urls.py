from django.urls import path

from rits.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
]
