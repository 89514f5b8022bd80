from django.urls import path

from rits.outcomes import views

app_name = "outcomes_public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<str:area_code>/", views.public_area, name="area"),
]
