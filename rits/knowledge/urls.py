from django.urls import path

from rits.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("praktijken/nieuw/", views.practice_new, name="practice_new"),
    path("praktijken/importeren/", views.practice_import, name="import"),
    path("praktijken/export.json", views.export, {"fmt": "json"}, name="export_json"),
    path("praktijken/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("praktijken/<id:practice_id>/", views.practice_detail, name="practice"),
    path("praktijken/<id:practice_id>/ervaring/", views.report_new, name="report_new"),
    path("praktijken/<id:practice_id>/past-het-hier/", views.fit_check, name="fit_check"),
    path("begrippen/", views.glossary, name="glossary"),
    path("begrippen/nieuw/", views.term_new, name="term_new"),
    path("begrippen/<id:term_id>/", views.term_detail, name="term"),
    path("netwerken/", views.networks, name="networks"),
    path("netwerken/nieuw/", views.network_new, name="network_new"),
    path("netwerken/<id:network_id>/leden/", views.member_new, name="member_new"),
    path("netwerken/<id:network_id>/", views.network_detail, name="network"),
    path("netwerken/<id:network_id>/voortgang/", views.update_new, name="update_new"),
    path("netwerken/<id:network_id>/samenvatting/", views.digest, name="digest"),
    path("netwerken/<id:network_id>/bijeenkomst/", views.meeting_new, name="meeting_new"),
    path("bijeenkomsten/<id:meeting_id>/", views.meeting_detail, name="meeting"),
    path("bijeenkomsten/<id:meeting_id>/agenda.ics", views.meeting_ics_view, name="meeting_ics"),
    path("bijeenkomsten/<id:meeting_id>/aanmelden/", views.meeting_register, name="register"),
    path("bijeenkomsten/<id:meeting_id>/afsluiten/", views.meeting_close, name="meeting_close"),
    path("bijeenkomsten/<id:meeting_id>/verslag/", views.minutes_save, name="minutes_save"),
    path(
        "bijeenkomsten/<id:meeting_id>/verslag/aanvullen/",
        views.minutes_amend,
        name="minutes_amend",
    ),
    path(
        "bijeenkomsten/<id:meeting_id>/verslag/definitief/",
        views.minutes_final,
        name="minutes_final",
    ),
    path(
        "bijeenkomsten/<id:meeting_id>/verslag/correctie/",
        views.minutes_correct,
        name="minutes_correct",
    ),
]
