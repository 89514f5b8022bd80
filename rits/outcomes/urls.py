from django.urls import path

from rits.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("verhalen/nieuw/<id:plan_id>/", views.story_new, name="story_new"),
    path("verhalen/<id:story_id>/", views.story_detail, name="story"),
    path("verhalen/<id:story_id>/toestemming/", views.story_consent, name="story_consent"),
    path("verhalen/<id:story_id>/beoordelen/", views.story_review, name="story_review"),
    path("<str:area_code>/", views.area_page, name="area"),
    path("<str:area_code>/export.<str:fmt>", views.export, name="export"),
]
