from django.urls import path

from rits.directory import editor_views, views

# No namespace: "crisis" is linked from the base template and the navigation.
urlpatterns = [
    path("wie-bel-ik-nu/", views.crisis, name="crisis"),
    path("wie-bel-ik-nu/afdrukken/", views.crisis_print, name="crisis_print"),
    path("sociale-kaart/", views.social_map, name="social_map"),
    path("sociale-kaart/kaart/", views.overview_map, name="directory_map"),
    path("sociale-kaart/dienst/<id:pk>/", views.service_detail, name="directory_service"),
    path(
        "sociale-kaart/dienst/<id:pk>/bewerken/",
        views.service_edit,
        name="directory_service_edit",
    ),
    path(
        "sociale-kaart/dienst/<id:pk>/wachttijd/",
        views.wait_time_confirm,
        name="directory_wait_time",
    ),
    path("sociale-kaart/aanbieder/<id:pk>/", views.provider_detail, name="directory_provider"),
    path(
        "sociale-kaart/aanbieder/<id:provider_pk>/nieuw/",
        views.service_create,
        name="directory_service_create",
    ),
    path(
        "sociale-kaart/aanbieder/<id:provider_pk>/importeren/",
        views.provider_import,
        name="directory_import",
    ),
    path("sociale-kaart/beheer/", editor_views.review_page, name="directory_review"),
    path(
        "sociale-kaart/beheer/wachtrij/",
        editor_views.review_queue,
        name="directory_review_queue",
    ),
    path(
        "sociale-kaart/dienst/<id:pk>/bevestigen/",
        editor_views.service_confirm,
        name="directory_service_confirm",
    ),
    path(
        "sociale-kaart/dienst/<id:pk>/tijden/",
        editor_views.service_schedule,
        name="directory_service_schedule",
    ),
    path(
        "sociale-kaart/dienst/<id:pk>/contacten/",
        editor_views.service_contacts,
        name="directory_service_contacts",
    ),
    path(
        "sociale-kaart/dienst/<id:pk>/melden/",
        editor_views.service_report,
        name="directory_service_report",
    ),
    path(
        "sociale-kaart/aanbieder/<id:provider_pk>/locatie/",
        editor_views.location_create,
        name="directory_location_create",
    ),
    path(
        "sociale-kaart/locatie/<id:pk>/",
        editor_views.location_edit,
        name="directory_location_edit",
    ),
    path(
        "sociale-kaart/crisislijn/<id:pk>/",
        editor_views.crisis_line_edit,
        name="directory_crisis_line_edit",
    ),
    path(
        "sociale-kaart/crisislijn/<id:pk>/bevestigen/",
        editor_views.crisis_line_confirm,
        name="directory_crisis_line_confirm",
    ),
    path(
        "sociale-kaart/crisislijn/<id:pk>/melden/",
        editor_views.crisis_line_report,
        name="directory_crisis_line_report",
    ),
    path(
        "sociale-kaart/melding/<id:pk>/afhandelen/",
        editor_views.report_resolve,
        name="directory_report_resolve",
    ),
    path("sociale-kaart/professionals/", views.professionals, name="directory_professionals"),
    path("sociale-kaart/mijn-profiel/", views.my_profile, name="directory_my_profile"),
]
