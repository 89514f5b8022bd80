from django.urls import path

from bench.family_plans import views
from rits.urls import urlpatterns as rits_urlpatterns

urlpatterns = [
    path("bench/minimal/", views.minimal),
    path("bench/plan-in-memory/", views.plan_in_memory),
    path("bench/plan-read-every-time/<id:plan_id>/", views.plan_page_read_every_time),
    *rits_urlpatterns,
]
