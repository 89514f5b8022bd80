from django.urls import path

from rits.directory import views

# No namespace: "crisis" is linked from the base template and the navigation.
urlpatterns = [
    path("wie-bel-ik-nu/", views.crisis, name="crisis"),
    path("wie-bel-ik-nu/afdrukken/", views.crisis_print, name="crisis_print"),
    path("sociale-kaart/", views.social_map, name="social_map"),
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
    path("sociale-kaart/professionals/", views.professionals, name="directory_professionals"),
    path("sociale-kaart/mijn-profiel/", views.my_profile, name="directory_my_profile"),
]
